// Validates Kubernetes objects with the validators that the npm packages kubernetes-models,
// @kubernetes-models/karpenter and @kubernetes-models/prometheus-operator generate from the official OpenAPI
// documents and CRDs. One JSON object per stdin line; one JSON array of "path: problem" strings per stdout line,
// in the same words as the tests' OpenAPI-document validator (KubernetesSchemas.cs).
//
// The generated validators accept unknown fields; a strict API server does not. Each object is handed to the
// validator behind a Proxy that records which of its keys the validator looked at: a key present but never read
// by a validator that read others (and did not list the keys, as it does for maps) is a field the schema lacks.
import { createInterface } from "node:readline";

const packages = ["kubernetes-models", "@kubernetes-models/karpenter", "@kubernetes-models/prometheus-operator"];
const models = new Map();

async function model(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (!models.has(key)) {
    let found = null;
    for (const name of packages) {
      try {
        found = (await import(`${name}/${apiVersion}/${kind}`))[kind] ?? null;
      } catch {
        continue;
      }
      if (found) break;
    }
    models.set(key, found);
  }
  return models.get(key);
}

function watch(value, path, records) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item, i) => watch(item, `${path}[${i}]`, records));
  const record = { path, keys: Object.keys(value), read: new Set(), listed: false };
  records.push(record);
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, watch(v, `${path}.${k}`, records)]));
  return new Proxy(copy, {
    get(target, property, receiver) {
      if (typeof property === "string") record.read.add(property);
      return Reflect.get(target, property, receiver);
    },
    has(target, property) {
      if (typeof property === "string") record.read.add(property);
      return Reflect.has(target, property);
    },
    ownKeys(target) {
      record.listed = true;
      return Reflect.ownKeys(target);
    },
  });
}

function at(instancePath) {
  let path = "";
  for (const raw of instancePath.split("/").slice(1)) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    path += /^[0-9]+$/.test(part) ? `[${part}]` : `.${part}`;
  }
  return path;
}

function valueAt(root, path) {
  let node = root;
  for (const raw of path.split("/").slice(1)) node = node?.[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
  return node;
}

const isBase64 = (value) => typeof value === "string" && /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value.replace(/[\r\n]/g, ""));
const show = (path) => (path === "" ? "(root)" : path);
const describe = (value) => `${Array.isArray(value) ? "array" : value === null ? "null" : typeof value} ${JSON.stringify(value)}`;

function words(error, object) {
  const path = at(error.instancePath);
  const value = valueAt(object, error.instancePath);
  switch (error.keyword) {
    case "required": return `${path}.${error.params.missingProperty}: required`;
    case "type": return `${show(path)}: expected ${error.params.type}, got ${describe(value)}`;
    case "enum": return `${show(path)}: ${describe(value)} is not one of ${JSON.stringify(error.params.allowedValues)}`;
    case "pattern": return `${show(path)}: '${value}' does not match ${error.params.pattern}`;
    case "format": return `${show(path)}: '${value}' is not a ${error.params.format}`;
    default: return `${show(path)}: ${error.message}`;
  }
}

export async function validate(object) {
  if (typeof object?.apiVersion !== "string" || typeof object?.kind !== "string") return ["apiVersion and kind are required"];
  const Model = await model(object.apiVersion, object.kind);
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  const records = [];
  const watched = watch(object, "", records);
  let raw = [];
  try {
    Model.prototype.validate.call(watched);
  } catch (e) {
    raw = e.errors ?? [{ instancePath: "", keyword: "error", message: e.message }];
  }
  // The API server decodes "byte" fields as Go does, skipping line breaks (kubectl kustomize wraps long base64 values).
  raw = raw.filter((e) => !(e.keyword === "format" && e.params.format === "byte" && isBase64(valueAt(object, e.instancePath))));
  // A quantity that is neither a number nor a well-formed string fails three ways; its format names the problem.
  const formats = new Set(raw.filter((e) => e.keyword === "format").map((e) => e.instancePath));
  const problems = raw.filter((e) => e.keyword === "format" || !formats.has(e.instancePath)).map((e) => words(e, object));
  for (const record of records) {
    if (record.listed || record.read.size === 0) continue; // a map, or a field the schema leaves open
    for (const key of record.keys) if (!record.read.has(key)) problems.push(`${record.path}.${key}: unknown field`);
  }
  return [...new Set(problems)];
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === "") continue;
  let answer;
  try {
    answer = await validate(JSON.parse(line));
  } catch (e) {
    answer = [`(root): the validator failed: ${e.message}`];
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
