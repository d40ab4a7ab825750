// The package's public API: what a test suite imports.
export { startServer, listen, type MockServer } from './server.js'
export { buildApp, type AppOptions } from './app.js'
export {
  ConfigError, configFromEnvironment, configFromOptions, DEV_CLIENT, DEV_TOKEN,
  type Config, type LogLevel, type OAuthClient, type StartOptions
} from './config.js'
export { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, type Lead, type LeadInput } from './leads/schema.js'
export { LeadValidationError } from './leads/validate.js'
export type { LeadPage } from './leads/repository.js'
export type { JournalEntry } from './journal/journal.js'
export type { Scenario, ScenarioInput } from './scenarios/schema.js'
export type { IssuedToken } from './oauth/issuer.js'
export { HttpError } from './errors.js'
export { demoLeads, DEMO_ECOSYSTEMS } from '../seed/demo.js'
export { generateLeads, type EcosystemSpec } from '../seed/generate.js'
