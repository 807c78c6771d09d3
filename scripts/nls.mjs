// Moves every user-visible string of package.json into package.nls.json (VS Code's mechanism for
// localizing contributions) and leaves `%key%` in its place. Idempotent: strings already moved are
// kept, new plain strings (a new command, a new setting) are moved on the next run.
//   node scripts/nls.mjs          rewrite package.json and package.nls.json
//   node scripts/nls.mjs --check  exit 1 when a string is still plain or a key lacks a translation
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, root), 'utf8'));
const write = (name, value) => writeFileSync(new URL(name, root), `${JSON.stringify(value, null, 2)}\n`);

const pkg = read('package.json');
const nls = existsSync(new URL('package.nls.json', root)) ? read('package.nls.json') : {};
const check = process.argv.includes('--check');
const plain = [];

/** Replaces holder[field] with %key% after storing its text under key. */
function move(holder, field, key) {
  const value = holder[field];
  if (typeof value !== 'string' || value === '') return;
  const placeholder = /^%([^%]+)%$/.exec(value);
  if (placeholder) {
    if (!(placeholder[1] in nls)) plain.push(`${key}: ${value} has no entry in package.nls.json`);
    return;
  }
  if (check) {
    plain.push(`${key}: "${value.slice(0, 60)}" is not localized`);
    return;
  }
  if (key in nls && nls[key] !== value) throw new Error(`key ${key} already holds another text`);
  nls[key] = value;
  holder[field] = `%${key}%`;
}
function moveArray(holder, field, key) {
  if (!Array.isArray(holder[field])) return;
  holder[field].forEach((_, i) => move(holder[field], i, `${key}.${i}`));
}

move(pkg, 'displayName', 'displayName');
move(pkg, 'description', 'description');
if (pkg.capabilities?.untrustedWorkspaces) move(pkg.capabilities.untrustedWorkspaces, 'description', 'capabilities.untrustedWorkspaces.description');

const c = pkg.contributes;
for (const command of c.commands ?? []) {
  move(command, 'title', `${command.command}.title`);
  move(command, 'shortTitle', `${command.command}.shortTitle`);
}
for (const [place, containers] of Object.entries(c.viewsContainers ?? {})) {
  for (const container of containers) move(container, 'title', `viewsContainers.${place}.${container.id}.title`);
}
for (const views of Object.values(c.views ?? {})) {
  for (const view of views) {
    move(view, 'name', `views.${view.id}.name`);
    move(view, 'contextualTitle', `views.${view.id}.contextualTitle`);
  }
}
const welcomesPerView = new Map();
for (const welcome of c.viewsWelcome ?? []) {
  const n = welcomesPerView.get(welcome.view) ?? 0;
  welcomesPerView.set(welcome.view, n + 1);
  move(welcome, 'contents', `viewsWelcome.${welcome.view}${n ? `.${n}` : ''}`);
}

/** Settings: every description-like field, recursively through nested object and array schemas. */
function moveSchema(schema, key) {
  for (const field of ['title', 'description', 'markdownDescription', 'patternErrorMessage', 'deprecationMessage', 'markdownDeprecationMessage', 'errorMessage']) {
    move(schema, field, `${key}.${field}`);
  }
  moveArray(schema, 'enumDescriptions', `${key}.enumDescriptions`);
  moveArray(schema, 'markdownEnumDescriptions', `${key}.markdownEnumDescriptions`);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) moveSchema(sub, `${key}.${name}`);
  if (schema.items && !Array.isArray(schema.items)) moveSchema(schema.items, `${key}.items`);
  for (const combinator of ['oneOf', 'anyOf', 'allOf']) (schema[combinator] ?? []).forEach((sub, i) => moveSchema(sub, `${key}.${combinator}.${i}`));
}
const configurations = Array.isArray(c.configuration) ? c.configuration : c.configuration ? [c.configuration] : [];
configurations.forEach((configuration, i) => {
  move(configuration, 'title', `configuration.${i}.title`);
  for (const [name, schema] of Object.entries(configuration.properties ?? {})) moveSchema(schema, `config.${name}`);
});
for (const walkthrough of c.walkthroughs ?? []) {
  const key = `walkthroughs.${walkthrough.id}`;
  move(walkthrough, 'title', `${key}.title`);
  move(walkthrough, 'description', `${key}.description`);
  for (const step of walkthrough.steps ?? []) {
    move(step, 'title', `${key}.steps.${step.id}.title`);
    move(step, 'description', `${key}.steps.${step.id}.description`);
    if (step.media) move(step.media, 'altText', `${key}.steps.${step.id}.altText`);
  }
}

if (check) {
  const zh = existsSync(new URL('package.nls.zh-cn.json', root)) ? read('package.nls.zh-cn.json') : {};
  for (const key of Object.keys(nls)) if (!(key in zh)) plain.push(`${key} has no zh-cn translation`);
  for (const key of Object.keys(zh)) if (!(key in nls)) plain.push(`${key} is translated but no longer used`);
  if (plain.length) {
    console.error(plain.join('\n'));
    process.exit(1);
  }
  console.log(`${Object.keys(nls).length} strings localized`);
} else {
  write('package.json', pkg);
  write('package.nls.json', nls);
  console.log(`package.nls.json: ${Object.keys(nls).length} strings`);
}
