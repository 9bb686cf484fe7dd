// Evaluates a ValidatingAdmissionPolicy's CEL as the API server does for one request: its match conditions first (any
// false: the policy does not apply), then its variables in order, then each validation (false: refused with its
// message). Reads {policy, object, params, request} as JSON on stdin; writes {applies, refusals} on stdout.
// Kubernetes also type-checks the expressions against the objects' schemas, which only a real API server does.
import {evaluate} from '@marcbachmann/cel-js'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const {policy, object, params, request} = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const spec = policy.spec
const context = {object, params, request, variables: {}}

const applies = (spec.matchConditions ?? []).every(c => evaluate(c.expression, context) === true)
const refusals = []
if (applies) {
  for (const v of spec.variables ?? []) context.variables[v.name] = evaluate(v.expression, context)
  for (const v of spec.validations) if (evaluate(v.expression, context) !== true) refusals.push(v.message)
}
process.stdout.write(JSON.stringify({applies, refusals}))
