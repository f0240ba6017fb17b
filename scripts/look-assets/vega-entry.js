// Vega with its CSP-safe expression interpreter, as one script: window.vega, with
// vega.expressionInterpreter for `new vega.View(vega.parse(spec, null, {ast: true}),
// {expr: vega.expressionInterpreter})`, which never calls eval or Function.
export * from 'vega';
export { expressionInterpreter } from 'vega-interpreter';
