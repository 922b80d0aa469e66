/**
 * Context source registrations and registration subscriptions (GS CIM 009 §5.9–5.11): validation,
 * rendering and discovery matching. Forwarding requests to the registered sources is not done.
 */
export {
  MODES,
  PROPERTIES,
  REGISTRATION_TYPE,
  parseRegistration,
  patchRegistration,
  renderRegistration,
  type ParsedRegistration,
} from './parse-registration.js'
export {
  REGISTRATION_QUERY_PARAMS,
  matchesRegistration,
  parseRegistrationQuery,
  type RegistrationQuery,
} from './match-registration.js'
export { overlapsExclusive } from './registration-conflicts.js'
export {
  SUBSCRIPTION_TYPE,
  parseRegistrationSubscription,
  patchRegistrationSubscription,
  renderRegistrationSubscription,
  type ParsedRegistrationSubscription,
} from './parse-registration-subscription.js'
export {
  createCSourceNotifications,
  matchesSubscription,
  type CSourceNotifications,
} from './csource-notifications.js'
