export {
  type ChainedSessionContextOptions,
  chainedSessionContext,
  type IamUserContextOptions,
  type IdentityCenterSessionContextOptions,
  iamUserContext,
  identityCenterSessionContext,
  type PrincipalContextBase,
  type RoleSessionContextOptions,
  roleSessionContext,
  rootContext,
  samlRoleSessionContext,
  serviceContext,
  uniqueIdFor,
} from '../request-context.js';
export {
  type EmulatedPolicy,
  type OrganizationsEmulator,
  type OrganizationsEmulatorOptions,
  type SeedPolicy,
  startOrganizationsEmulator,
} from './organizations-emulator.js';
