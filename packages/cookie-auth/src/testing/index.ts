export {
  createTestBrowser,
  httpApiAuthorizerEvent,
  httpApiProxyEvent,
  restRequestAuthorizerEvent,
  type TestBrowser,
  type TestRequest,
} from './event-builders.js';
export {
  type MintOptions,
  type OidcEmulator,
  type OidcEmulatorOptions,
  type OidcEndpoint,
  startOidcEmulator,
} from './oidc-emulator.js';
