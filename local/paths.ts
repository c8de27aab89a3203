import { fileURLToPath } from 'node:url';

/** The repository root (entries in the declarations are relative to it). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The default data folder: `.data/` in the repository (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data', import.meta.url));
