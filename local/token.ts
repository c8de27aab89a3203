/**
 * `npm run -s token -- --sub <personId> --groups mentor,employee [--department it] [--ttl 3600]`
 * prints a token from the local issuer and nothing else, so `TOKEN=$(npm run -s token -- ...)`
 * works. `npm run -s token -- --client it` prints the access token of department `it`'s machine
 * client (client credentials, scope `mentoring-departments/it`). The issuer's key and URL come from the data folder the platform uses.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createLocalIssuer,
  ISSUER_PATH,
  LOCAL_CLIENT_ID,
  loadOrCreateSigningKey,
  type MintOptions,
  readIssuerInfo,
} from './issuer';
import { DEFAULT_DATA_DIR } from './paths';

export interface MintTokenOptions extends MintOptions {
  /** The platform's data folder (default `.data/`); the issuer's key lives in `<dataDir>/issuer`. */
  dataDir?: string;
  /** Default: what the running (or last) platform published, else `http://localhost:<port>/local-issuer`. */
  issuerUrl?: string;
  port?: number;
}

/** A token the local platform's authorizer accepts (it shares the data folder's key). */
export const mintToken = async (options: MintTokenOptions): Promise<string> => {
  const issuerDir = join(resolve(options.dataDir ?? DEFAULT_DATA_DIR), 'issuer');
  const key = await loadOrCreateSigningKey(issuerDir);
  const published = readIssuerInfo(issuerDir);
  const issuerUrl =
    options.issuerUrl ??
    (options.port === undefined ? published?.issuerUrl : undefined) ??
    `http://localhost:${options.port ?? 3000}${ISSUER_PATH}`;
  return createLocalIssuer(key, issuerUrl, published?.clientId ?? LOCAL_CLIENT_ID).mint(options);
};

const usage = `Usage: npm run -s token -- --sub <personId> [--groups employee,mentor] [--department <id>]
                          [--ttl <seconds>] [--email <address>] [--access] [--data-dir .data] [--port 3000]
       npm run -s token -- --client <departmentId> [--ttl <seconds>] [--data-dir .data] [--port 3000]`;

const main = async () => {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      client: { type: 'string' },
      groups: { type: 'string', default: 'employee' },
      department: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      email: { type: 'string' },
      access: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (!values.sub && !values.client)) {
    process.stderr.write(`${usage}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    process.stderr.write(`--ttl must be a positive number of seconds\n${usage}\n`);
    process.exit(2);
  }
  const token = await mintToken({
    sub: values.sub ?? values.client ?? '',
    ...(values.client ? { departmentClient: values.client } : {}),
    groups: values.groups
      .split(',')
      .map((group) => group.trim())
      .filter(Boolean),
    ttlSeconds,
    tokenUse: values.access ? 'access' : 'id',
    ...(values.department ? { departmentId: values.department } : {}),
    ...(values.email ? { email: values.email } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
  });
  process.stdout.write(`${token}\n`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
