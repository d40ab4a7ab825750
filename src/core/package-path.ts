import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The code runs from src/ under the tests and from dist/src/ once built; migrations/ and seed/
// sit next to package.json in both cases, so look for that instead of counting "../".
/** The nearest directory from `from` up that holds a package.json; the filesystem root when none does. @internal (exported for its test) */
export function findPackageRoot (from: string): string {
  let directory = from
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory) {
    directory = dirname(directory)
  }
  return directory
}

const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

export function packagePath (...segments: string[]): string {
  return join(root, ...segments)
}

/** The version in package.json: what --version prints, /openapi.json and the conformance report show */
export function packageVersion (): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version
}
