// The package's public API: what a test suite imports.
export { startServer, listen, type MockServer, type MockSandbox, type SandboxOptions } from './server.js'
export { buildApp, type AppOptions } from './http/app.js'
export {
  configFromEnvironment, configFromOptions, DEV_CLIENT, DEV_TOKEN,
  type Config, type LogLevel, type OAuthClient, type StartOptions
} from './core/config.js'
export { ConfigError, FixtureError } from './core/errors.js'
export type { FixtureJournal, FixtureLeads, FixtureScenarios, FixtureSandboxes } from './core/fixture.js'
export type { CreatedSandbox, Sandbox } from './core/sandboxes/schema.js'
export { EXAMPLE_ECOSYSTEM, EXAMPLE_PHONE, type Lead, type LeadInput } from './core/leads/schema.js'
export { LeadValidationError } from './core/leads/validate.js'
export type { LeadPage } from './core/leads/repository.js'
export type { JournalEntry } from './core/journal/journal.js'
export type { Scenario, ScenarioInput } from './core/scenarios/schema.js'
export { TokenLimitReached, type IssuedToken } from './core/tokens/issuer.js'
export { runConformance } from './conformance/run.js'
export { formatReport, type Answer, type CaseResult, type ConformanceReport, type Verdict } from './conformance/report.js'
export { TargetUnreachable } from './conformance/client.js'
export type { ConformanceOptions, ReportFormat } from './conformance/options.js'
export { demoLeads, DEMO_ECOSYSTEMS } from '../seed/demo.js'
export { generateLeads, type EcosystemSpec } from '../seed/generate.js'
