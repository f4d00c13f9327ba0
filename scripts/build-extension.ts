import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { packageRoot } from '../backend/src/config/package-root';
import { hubspotObjectSchema } from '../objects/hubspot-schema';
import { loadObjectDefinition, type ObjectDef } from '../objects/object-definition';
import { HUBSPOT_CUSTOM_OBJECT_SCOPES, HUBSPOT_REQUIRED_SCOPES } from '../backend/src/crm/hubspot/scopes';

// Assembles the uploadable HubSpot project (hsproject.json + extension/) from its sources:
// cards/ (React cards and cards.json), workflows/ (workflow action and webhooks), objects/
// (the advocacy-ask definition) and the root hsprofile.*.json profiles. Everything under
// extension/ is generated: edit the sources and run `npm run build:extension`.
// tests/unit/extension/build-extension.test.ts fails when extension/ differs from this output.
//
// Two variants of the same app:
// - private (default, committed in extension/): static auth, private distribution. No app
//   object: HubSpot only accepts app objects in marketplace apps, so a private install keeps
//   its asks in a custom object created by `advocacy setup hubspot` (Enterprise) or the store.
// - marketplace (`--variant marketplace --out <dir>`): OAuth auth, marketplace distribution,
//   plus the advocacy-ask app object and its associations, generated from
//   objects/advocacy-ask.json. Written as a complete project of its own (its own
//   hsproject.json), because one HubSpot project holds exactly one app.

export type Variant = 'private' | 'marketplace';

export const PROJECT_NAME = 'advocacy-loop';
export const SRC_DIR = 'extension';
export const PLATFORM_VERSION = '2026.09';
export const APP_UID = 'advocacy_loop_app';
export const APP_OBJECT_UID = 'advocacy_ask';

/** Profile variables every hsmeta file may reference as ${NAME}. */
export const PROFILE_VARIABLES = ['ADVOCACY_BACKEND_URL', 'HEALTH_SCORE_PROPERTY', 'NPS_PROPERTY'] as const;
const v = (name: (typeof PROFILE_VARIABLES)[number]) => `\${${name}}`;

/** Files of cards/ that describe the build, not the cards HubSpot bundles. */
const CARD_SOURCES_EXCLUDED = new Set(['tsconfig.json', 'cards.json', 'README.md']);
// HubSpot's eslint config (what `hs project lint` runs): tooling, not bundled, so it may import devDependencies.
const CARD_ESLINT_CONFIG = 'eslint.config.js';

/**
 * The app pages (the program dashboard): sources in cards/dashboard/, sharing the cards' lib.
 * HubSpot bundles app/pages/ as its own folder, so the build writes there the page and every
 * file of cards/ it imports (at the same relative paths), with the cards' package.json.
 */
const PAGES_SOURCE = 'dashboard';
const PAGES_ENTRYPOINT = 'dashboard/program-dashboard.tsx';
export const PAGES_UID = 'program_dashboard';

export type BuiltFiles = Map<string, Buffer>;

interface CardDef {
  uid: string;
  name: string;
  description: string;
  entrypoint: string;
  location: 'crm.record.tab' | 'crm.record.sidebar';
  objectTypes: string[];
}

interface OutputFieldDef {
  name: string;
  type: string;
  fieldType: string;
  label: string;
  options?: string[];
}

interface WorkflowActionDef {
  uid: string;
  actionPath: string;
  objectTypes: string[];
  inputFields: unknown[];
  outputFields: OutputFieldDef[];
  labels: { actionName: string; actionDescription: string; actionCardContent: string };
}

interface WebhooksDef {
  uid: string;
  targetPath: string;
  maxConcurrentRequests: number;
  companyPropertyChanges: string[];
  /** Account-level events, e.g. contact.privacyDeletion (the marketplace's privacy duty). */
  hubEvents?: string[];
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const hsmeta = (uid: string, type: string, config: unknown) => json({ uid, type, config });

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

const toPosix = (p: string) => p.split(sep).join(posix.sep);

const importSpecifiers = (source: string) =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2] ?? m[3]);

/** The files of cards/ an entry reaches through relative imports (itself included), as posix paths. */
export function reachableFiles(cardsDir: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (rel: string) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const file = join(cardsDir, ...rel.split('/'));
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const base = toPosix(relative(cardsDir, join(dirname(file), spec)));
      const found = ['.ts', '.tsx', ''].map((ext) => `${base}${ext}`).find((c) => existsSync(join(cardsDir, c)) && statSync(join(cardsDir, c)).isFile());
      if (!found) throw new Error(`cards/${rel} imports ${spec}, which is not a file of cards/`);
      visit(found);
    }
  };
  visit(entry);
  return [...seen].sort();
}

/**
 * HubSpot bundles each card from extension/app/cards alone: a card may import its own files
 * and the packages of cards/package.json, nothing else (not the backend, not the tests).
 */
export function checkCardImports(cardsDir: string, file: string, source: string, dependencies: string[]): void {
  for (const spec of importSpecifiers(source)) {
    if (spec.startsWith('.')) {
      const target = relative(cardsDir, join(dirname(file), spec));
      if (target.startsWith('..')) throw new Error(`cards/${toPosix(relative(cardsDir, file))} imports ${spec}, outside cards/: HubSpot would not find it`);
    } else {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!dependencies.includes(pkg)) throw new Error(`cards/${toPosix(relative(cardsDir, file))} imports ${spec}, which cards/package.json does not depend on`);
    }
  }
}

export function appConfig(variant: Variant) {
  const requiredScopes = [...HUBSPOT_REQUIRED_SCOPES];
  const optionalScopes = variant === 'private' ? [...HUBSPOT_CUSTOM_OBJECT_SCOPES] : [];
  return {
    name: 'Advocacy Loop',
    description: "Finds customers ready to advocate, proposes the right ask to the owning CSM, holds back where an ask would hurt, records outcomes and consents, and matches reference advocates to deals.",
    distribution: variant === 'private' ? 'private' : 'marketplace',
    auth:
      variant === 'private'
        ? { type: 'static', requiredScopes, optionalScopes, conditionallyRequiredScopes: [] }
        : { type: 'oauth', redirectUrls: [`${v('ADVOCACY_BACKEND_URL')}/hubspot/oauth/callback`], requiredScopes, optionalScopes, conditionallyRequiredScopes: [] },
    permittedUrls: { fetch: [v('ADVOCACY_BACKEND_URL')], iframe: [], img: [] },
    support: {
      supportEmail: 'support@advocacy-loop.example.com',
      documentationUrl: 'https://advocacy-loop.example.com/docs',
      supportUrl: 'https://advocacy-loop.example.com/support',
    },
  };
}

export function cardMeta(card: CardDef) {
  return {
    name: card.name,
    description: card.description,
    entrypoint: `/app/cards/${card.entrypoint}`,
    location: card.location,
    objectTypes: card.objectTypes,
  };
}

export function workflowActionConfig(def: WorkflowActionDef) {
  const typeDefinition = (f: OutputFieldDef) => ({
    name: f.name,
    type: f.type,
    fieldType: f.fieldType,
    ...(f.options ? { options: f.options.map((o) => ({ value: o, label: o.charAt(0).toUpperCase() + o.slice(1).replace(/_/g, ' ') })) } : {}),
  });
  return {
    actionUrl: `${v('ADVOCACY_BACKEND_URL')}${def.actionPath}`,
    isPublished: true,
    supportedClients: [{ client: 'WORKFLOWS' }],
    inputFields: def.inputFields,
    outputFields: def.outputFields.map((f) => ({ typeDefinition: typeDefinition(f) })),
    labels: {
      en: {
        actionName: def.labels.actionName,
        actionDescription: def.labels.actionDescription,
        actionCardContent: def.labels.actionCardContent,
        inputFieldLabels: {},
        outputFieldLabels: Object.fromEntries(def.outputFields.map((f) => [f.name, f.label])),
      },
    },
    objectTypes: def.objectTypes,
  };
}

export function webhooksConfig(def: WebhooksDef) {
  return {
    settings: { targetUrl: `${v('ADVOCACY_BACKEND_URL')}${def.targetPath}`, maxConcurrentRequests: def.maxConcurrentRequests },
    subscriptions: {
      // The legacy shape: events arrive as `company.propertyChange`, which the backend reads.
      legacyCrmObjects: def.companyPropertyChanges.map((propertyName) => ({ subscriptionType: 'company.propertyChange', propertyName, active: true })),
      ...(def.hubEvents?.length ? { hubEvents: def.hubEvents.map((subscriptionType) => ({ subscriptionType, active: true })) } : {}),
    },
  };
}

/** The advocacy-ask app object, from the one object definition (via the HubSpot schema mapping). */
export function appObjectConfig(def: ObjectDef) {
  const schema = hubspotObjectSchema(def);
  return {
    name: def.name.toUpperCase(),
    description: def.description,
    singularForm: schema.labels.singular,
    pluralForm: schema.labels.plural,
    appPrefix: 'AdvocacyLoop',
    primaryDisplayLabelPropertyName: schema.primaryDisplayProperty,
    secondaryDisplayLabelPropertyNames: schema.secondaryDisplayProperties,
    properties: schema.properties,
    defaultCreateFormFields: schema.requiredProperties.map((propertyName) => ({ propertyName, isRequired: true, isRemovable: false })),
    settings: { hasRecordPage: true, allowsUserCreatedRecords: false, hasEngagements: true },
  };
}

const GENERATED_NOTE = `# Generated: do not edit

Everything in this folder is written by \`npm run build:extension\` (scripts/build-extension.ts)
from cards/, workflows/, objects/advocacy-ask.json and the root hsprofile.*.json files. Edit
those and build again; a test fails when this folder differs from what the build writes.

Upload with the HubSpot CLI from the repository root (hsproject.json points here):

    hs project upload --profile local    # or --profile prod

The profile's variables (ADVOCACY_BACKEND_URL, HEALTH_SCORE_PROPERTY, NPS_PROPERTY) fill the
\${...} references in the *-hsmeta.json files; the cards read ADVOCACY_BACKEND_URL at run time
from their context. This is the private app (static auth). The marketplace variant (OAuth, with
the advocacy-ask app object) is built as its own project:

    npm run build:extension -- --variant marketplace --out dist/hubspot-marketplace
`;

/**
 * Every file the build writes, keyed by its path relative to `outRoot` (posix separators):
 * hsproject.json and everything under extension/.
 */
export function buildExtension(variant: Variant = 'private', root: string = packageRoot(__dirname)): BuiltFiles {
  const files: BuiltFiles = new Map();
  const put = (path: string, content: Buffer) => {
    if (files.has(path)) throw new Error(`the build writes ${path} twice`);
    files.set(path, content);
  };
  const app = `${SRC_DIR}/app`;

  put('hsproject.json', json({ name: variant === 'private' ? PROJECT_NAME : `${PROJECT_NAME}-marketplace`, srcDir: SRC_DIR, platformVersion: PLATFORM_VERSION }));
  put(`${SRC_DIR}/README.md`, Buffer.from(GENERATED_NOTE));

  for (const name of readdirSync(root).filter((f) => /^hsprofile\.[^.]+\.json$/.test(f)).sort()) {
    const profile = readJson<{ accountId?: unknown; variables?: Record<string, unknown> }>(join(root, name));
    const missing = PROFILE_VARIABLES.filter((k) => typeof profile.variables?.[k] !== 'string' || profile.variables[k] === '');
    if (typeof profile.accountId !== 'number') throw new Error(`${name}: accountId must be a number`);
    if (missing.length > 0) throw new Error(`${name}: variables ${missing.join(', ')} must be set`);
    put(`${SRC_DIR}/${name}`, readFileSync(join(root, name)));
  }

  put(`${app}/app-hsmeta.json`, hsmeta(APP_UID, 'app', appConfig(variant)));

  const cardsDir = join(root, 'cards');
  const { cards } = readJson<{ cards: CardDef[] }>(join(cardsDir, 'cards.json'));
  const cardPackage = readJson<{ dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>(join(cardsDir, 'package.json'));
  const dependencies = Object.keys(cardPackage.dependencies ?? {});
  const toolingDependencies = [...dependencies, ...Object.keys(cardPackage.devDependencies ?? {})];
  for (const file of listFiles(cardsDir)) {
    const rel = toPosix(relative(cardsDir, file));
    if (CARD_SOURCES_EXCLUDED.has(rel)) continue;
    if (/\.(tsx?|jsx?)$/.test(rel)) checkCardImports(cardsDir, file, readFileSync(file, 'utf8'), rel === CARD_ESLINT_CONFIG ? toolingDependencies : dependencies);
    if (rel.endsWith('-hsmeta.json')) throw new Error(`cards/${rel}: card hsmeta files are generated from cards/cards.json`);
    if (rel.startsWith(`${PAGES_SOURCE}/`)) continue; // the app pages' own sources: written to app/pages below
    put(`${app}/cards/${rel}`, readFileSync(file));
  }
  for (const card of cards) {
    if (!files.has(`${app}/cards/${card.entrypoint}`)) throw new Error(`cards/cards.json: ${card.uid} names a missing entrypoint ${card.entrypoint}`);
    put(`${app}/cards/${card.entrypoint.replace(/\.[jt]sx?$/, '')}-hsmeta.json`, hsmeta(card.uid, 'card', cardMeta(card)));
  }

  for (const rel of ['package.json', CARD_ESLINT_CONFIG, ...reachableFiles(cardsDir, PAGES_ENTRYPOINT)]) put(`${app}/pages/${rel}`, readFileSync(join(cardsDir, ...rel.split('/'))));
  put(`${app}/pages/program-dashboard-hsmeta.json`, hsmeta(PAGES_UID, 'pages', { entrypoint: `/app/pages/${PAGES_ENTRYPOINT}` }));

  const action = readJson<WorkflowActionDef>(join(root, 'workflows/evaluate-advocacy-readiness.json'));
  put(`${app}/workflow-actions/evaluate-advocacy-readiness-hsmeta.json`, hsmeta(action.uid, 'workflow-action', workflowActionConfig(action)));

  const webhooks = readJson<WebhooksDef>(join(root, 'workflows/webhooks.json'));
  put(`${app}/webhooks/webhooks-hsmeta.json`, hsmeta(webhooks.uid, 'webhooks', webhooksConfig(webhooks)));

  if (variant === 'marketplace') {
    const def = loadObjectDefinition(join(root, 'objects/advocacy-ask.json'));
    put(`${app}/app-objects/advocacy-ask-hsmeta.json`, hsmeta(APP_OBJECT_UID, 'app-object', appObjectConfig(def)));
    for (const a of def.associations) {
      put(
        `${app}/app-object-associations/advocacy-ask-to-${a.to}-hsmeta.json`,
        hsmeta(`${APP_OBJECT_UID}_to_${a.to}`, 'app-object-association', { firstObjectType: APP_OBJECT_UID, secondObjectType: a.to.toUpperCase() }),
      );
    }
  }
  return files;
}

/** Replaces `<outRoot>/extension` with the built files and writes hsproject.json beside it. */
export function writeExtension(files: BuiltFiles, outRoot: string): void {
  rmSync(join(outRoot, SRC_DIR), { recursive: true, force: true });
  for (const [path, content] of files) {
    const target = join(outRoot, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

function parseArgs(argv: string[]): { variant: Variant; out: string | null } {
  let variant: Variant = 'private';
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--variant') {
      const value = argv[++i];
      if (value !== 'private' && value !== 'marketplace') throw new Error(`--variant must be private or marketplace, got ${value}`);
      variant = value;
    } else if (argv[i] === '--out') {
      out = argv[++i] ?? null;
    } else {
      throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return { variant, out };
}

if (require.main === module) {
  const root = packageRoot(__dirname);
  const { variant, out } = parseArgs(process.argv.slice(2));
  if (variant === 'marketplace' && !out) throw new Error('the marketplace variant is its own project: give --out <dir> (e.g. dist/hubspot-marketplace)');
  const outRoot = out ? join(process.cwd(), out) : root;
  const files = buildExtension(variant, root);
  writeExtension(files, outRoot);
  process.stdout.write(`wrote ${files.size} files (${variant}) to ${relative(process.cwd(), outRoot) || '.'}\n`);
}
