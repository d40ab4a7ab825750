// The layering of src/, checked in `npm run lint`: see src/core/README.md and src/http/README.md.
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle is a layer that is not one.',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'core-knows-no-http',
      comment: 'src/core holds the fixture: it never imports Fastify, a Fastify plugin or src/http.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ['^src/http/', '^node_modules/(fastify|@fastify/|fastify-plugin|light-my-request|pino)'] }
    },
    {
      name: 'core-not-above-itself',
      comment: 'src/core never imports the process (cli, server) or the public API (index).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(cli|server|index)\\.ts$' }
    },
    {
      name: 'http-not-above-itself',
      comment: 'src/http never imports the process (cli, server) or the public API (index).',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(cli|server|index)\\.ts$' }
    },
    {
      name: 'conformance-is-a-client',
      comment: 'src/conformance speaks HTTP to a server like any client: it starts its mock through startServer, never through src/http, and sits below the process and the public API.',
      severity: 'error',
      from: { path: '^src/conformance/' },
      to: { path: ['^src/http/', '^src/(cli|index)\\.ts$'] }
    },
    {
      name: 'nothing-below-uses-conformance',
      comment: 'The server never depends on the kit that checks it: only the process and the public API import src/conformance.',
      severity: 'error',
      from: { path: ['^src/core/', '^src/http/', '^src/server\\.ts$', '^seed/'] },
      to: { path: '^src/conformance/' }
    },
    {
      name: 'seed-takes-types-only',
      comment: 'seed/ is data: it may use the types of src/, never its code.',
      severity: 'error',
      from: { path: '^seed/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (entry points aside).',
      severity: 'error',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '^src/(cli|index)\\.ts$', '^test/', '^bench/'] },
      to: {}
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.d.ts'] }
  }
}
