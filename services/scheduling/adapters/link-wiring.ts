/** The link signer of a function that signs or checks links: the declared key, read at cold start. */
import { declaredSecret } from '../../../shared/secrets';
import { createLinkSigner, type LinkSigner } from '../domain/links';
import { LINK_SIGNING_KEY } from '../settings';

export const loadLinkSigner = async (env: Record<string, string | undefined> = process.env): Promise<LinkSigner> =>
  createLinkSigner(await declaredSecret(LINK_SIGNING_KEY, env)());
