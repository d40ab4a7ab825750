// The Fastify organisation's own style (neostandard), with TypeScript.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'coverage/**', '.tap/**', 'node_modules/**', 'bench/results/**', '.stryker-tmp/**', 'reports/**'] }),
  {
    files: ['**/*.ts'],
    // A TypeBox schema and its type share one name (`Lead` and `type Lead = Static<typeof Lead>`);
    // TypeScript itself reports a real redeclaration.
    rules: { '@typescript-eslint/no-redeclare': 'off' }
  }
]
