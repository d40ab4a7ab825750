// A StrykerJS ignorer: no mutants in OpenAPI prose. The route and TypeBox schemas carry text for the
// reader of /docs (summary, description, example, examples); changing it changes no answer, no
// validation and no serialization, so a test that caught it would be a test of wording. This covers
// the value of every property with one of those names, and an object made of nothing else
// (`{ description: '…' }`). The document's own title, version and tag texts are marked where they
// stand in src/http/plugins/openapi.ts.
// The same goes for the one-line help of each option that `--help` prints (a `help` property whose
// value is text: a string, a template or a join), in src/core/config.ts and src/conformance/options.ts;
// the `help` flag itself (`help: { type: 'boolean' }`, `help: values.help === true`) is still mutated.
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin'

const PROSE = new Set(['summary', 'description', 'example', 'examples'])
const REASON = 'OpenAPI prose: text for the reader of /docs, in no answer'

function keyName (property) {
  const { key } = property
  return key?.type === 'Identifier' ? key.name : key?.type === 'StringLiteral' ? key.value : undefined
}

const TEXT = new Set(['StringLiteral', 'TemplateLiteral', 'CallExpression'])
const HELP_REASON = 'help prose: the text --help prints for an option, in no answer'
const isHelpText = (node) => node.type === 'ObjectProperty' && !node.computed && keyName(node) === 'help' && TEXT.has(node.value.type)
const isProse = (node) => node.type === 'ObjectProperty' && !node.computed && PROSE.has(keyName(node))

class OpenApiProseIgnorer {
  shouldIgnore (path) {
    const { node } = path
    if (isProse(node)) return REASON
    if (isHelpText(node)) return HELP_REASON
    if (node.type === 'ObjectExpression' && node.properties.length > 0 && node.properties.every(isProse)) return REASON
    return undefined
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'openapi-prose', OpenApiProseIgnorer)]
