export {
  type AuthorizeInput,
  type AuthorizeResult,
  type CookieAuthorizer,
  type CookieAuthorizerOptions,
  createCookieAuthorizer,
  defaultAuthorizerContext,
  stageWildcardArn,
} from './cookie-authorizer.js';
export { type CookieCipher, type CookieKey, createCookieCipher } from './cookie-cipher.js';
export {
  type CookieJar,
  type CookieReadLimits,
  type CookieSource,
  DEFAULT_COOKIE_READ_LIMITS,
  readCookies,
} from './cookie-reader.js';
export type { CsrfOptions } from './csrf-check.js';
export { DenyReason } from './deny-reason.js';
export { CookieAuthError, CookieAuthErrorCode, isCookieAuthError } from './errors.js';
export type {
  AuthorizerContext,
  HttpApiAuthorizerEvent,
  HttpApiProxyEvent,
  HttpApiProxyResult,
  HttpApiSimpleResponse,
  IamPolicyResponse,
  PolicyDocument,
  RestRequestAuthorizerEvent,
} from './events.js';
export {
  authorizeRequest,
  type ExpressLikeHandler,
  type ProxyHandler,
  toExpressHandler,
  toFetchHandler,
} from './framework-adapters.js';
export {
  constantTimeEqual,
  createOAuthHandlers,
  type OAuthHandler,
  type OAuthHandlerOptions,
  type OAuthHandlers,
} from './oauth-handlers.js';
export { type ReturnPathOptions, validateReturnPath } from './return-path.js';
export {
  API_GATEWAY_HEADER_LIMIT,
  createSessionCookies,
  type HeaderBudget,
  type HeaderBudgetInput,
  type SessionCookieOptions,
  type SessionCookies,
  type SessionTokens,
  type TokenCookieRead,
  TRANSACTION_RETURN_PATH_MAX,
} from './session-cookies.js';
export {
  type CognitoPoolConfig,
  cognitoIssuer,
  createTokenVerifier,
  type Fetcher,
  type Jwks,
  type JwtPayload,
  type OidcIssuerConfig,
  type RevocationCheckInput,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifyResult,
} from './token-verifier.js';
