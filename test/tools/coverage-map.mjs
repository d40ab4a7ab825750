// What tap's 100% gate measures: the sources (src/, seed/), also when a test runs their tsc build
// (dist/src maps back to them). The bundle (dist/bundle) is the same code in one file without source
// maps, run by the tests of what users run; counted as a file of its own, it could never be 100%.
export default () => ['src/**/*.ts', 'seed/**/*.ts']
