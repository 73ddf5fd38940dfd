// A real OpenID Connect provider (npm oidc-provider) standing in for AWS Cognito in the integration tests.
// Usage: node server.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI   (OIDC_PROVIDER_DIR = where it is installed)
// Accounts: any login (any password); the subject is the login. Test-only routes stand in for the user-pool admin:
// PUT /test/groups/{login}?groups=a,b sets an account's `cognito:groups`, and POST /test/mutate-next-id-token?how=expired|tampered|audience|nonce rewrites the next
// ID token the token endpoint returns, as a broken clock, an attacker or a mix-up would; everything else is stock.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = process.env.OIDC_PROVIDER_DIR ?? '/opt/devplatform/oidc-provider';
const { default: Provider } = await import(pathToFileURL(join(dir, 'node_modules/oidc-provider/lib/index.js')).href);
const jose = await import(pathToFileURL(join(dir, 'node_modules/jose/dist/webapi/index.js')).href);

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

const groupsOf = new Map();
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['cognito:username', 'cognito:groups', 'name'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.org`, email_verified: true, 'cognito:username': id, 'cognito:groups': groupsOf.get(id) ?? [], name: id };
      },
    };
  },
});
provider.proxy = false;
provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error:', error));

let mutation = null;
provider.use(async (ctx, next) => {
  if (ctx.method === 'PUT' && ctx.path.startsWith('/test/groups/')) {
    groupsOf.set(decodeURIComponent(ctx.path.slice('/test/groups/'.length)), ctx.query.groups ? ctx.query.groups.split(',') : []);
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/test/mutate-next-id-token') {
    mutation = ctx.query.how;
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && mutation && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await mutate(ctx.body.id_token, mutation) };
    mutation = null;
  }
});

async function mutate(token, how) {
  const claims = jose.decodeJwt(token);
  const now = Math.floor(Date.now() / 1000);
  if (how === 'tampered') {
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] })).toString('base64url');
    return [header, forged === payload ? payload : forged, signature].join('.');
  }
  const changed = how === 'expired' ? { ...claims, iat: now - 7200, exp: now - 3600 }
    : how === 'audience' ? { ...claims, aud: 'some-other-client' }
    : how === 'nonce' ? { ...claims, nonce: 'not-the-nonce-you-sent' }
    : claims;
  return new jose.SignJWT(changed).setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid }).sign(privateKey);
}

provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
