import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { buildExtension, checkCardImports, writeExtension, SRC_DIR, PLATFORM_VERSION, APP_UID, APP_OBJECT_UID } from '../../../scripts/build-extension';
import { loadObjectDefinition } from '../../../objects/object-definition';
import { isKnownPlatformVersion, translateProject, type Translated } from './translate-project';

const ROOT = join(__dirname, '../../..');

function filesUnder(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(dir, e.name)).split(sep).join('/')]));
  return [...walk(join(root, SRC_DIR)), ...(existsSync(join(root, 'hsproject.json')) ? ['hsproject.json'] : [])].sort();
}

/** How the project on disk under `root` differs from what the build produces. */
function drift(built: Map<string, Buffer>, root: string) {
  const onDisk = filesUnder(root);
  return {
    missing: [...built.keys()].filter((p) => !onDisk.includes(p)).sort(),
    extra: onDisk.filter((p) => !built.has(p)),
    differing: [...built].filter(([p, content]) => onDisk.includes(p) && !readFileSync(join(root, p)).equals(content)).map(([p]) => p),
  };
}

describe('the HubSpot project build', () => {
  it('when the build runs in memory, then it produces exactly the committed extension/ and hsproject.json, byte for byte', () => {
    expect(drift(buildExtension('private', ROOT), ROOT)).toEqual({ missing: [], extra: [], differing: [] });
  });

  it('when a generated file is edited by hand, removed or added, then the drift check names each one', () => {
    const out = mkdtempSync(join(tmpdir(), 'ext-drift-'));
    try {
      const built = buildExtension('private', ROOT);
      writeExtension(built, out);
      expect(drift(built, out)).toEqual({ missing: [], extra: [], differing: [] });
      writeFileSync(join(out, SRC_DIR, 'app/cards/lib/config.ts'), '// edited by hand\n');
      rmSync(join(out, SRC_DIR, 'app/webhooks/webhooks-hsmeta.json'));
      writeFileSync(join(out, SRC_DIR, 'app/cards/stray.tsx'), 'export {};\n');
      expect(drift(built, out)).toEqual({ missing: [`${SRC_DIR}/app/webhooks/webhooks-hsmeta.json`], extra: [`${SRC_DIR}/app/cards/stray.tsx`], differing: [`${SRC_DIR}/app/cards/lib/config.ts`] });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('when the platform version is checked, then HubSpot\'s parser knows it (and does not know a made-up one)', () => {
    expect({ ours: isKnownPlatformVersion(PLATFORM_VERSION), madeUp: isKnownPlatformVersion('2026.10') }).toEqual({ ours: true, madeUp: false });
  });

  it('when hsproject.json is read, then it points HubSpot at extension/ on platform 2026.09', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'hsproject.json'), 'utf8'))).toEqual({ name: 'advocacy-loop', srcDir: 'extension', platformVersion: '2026.09' });
  });
});

describe("HubSpot's own parser on the built project", () => {
  let translated: Translated;
  beforeAll(() => {
    translated = translateProject(join(ROOT, SRC_DIR), PLATFORM_VERSION, 'local');
  });
  const privateProject = () => translated;

  it('when the committed project is translated, then every component is read and no hsmeta file is skipped', () => {
    const { nodes, skippedHsMetaFiles } = privateProject();
    expect(skippedHsMetaFiles).toEqual([]);
    expect(Object.fromEntries(Object.entries(nodes).map(([uid, n]) => [uid, n.componentType]))).toEqual({
      [APP_UID]: 'APPLICATION',
      company_advocacy_card: 'CARD',
      contact_advocate_card: 'CARD',
      deal_reference_card: 'CARD',
      evaluate_advocacy_readiness: 'WORKFLOW_ACTION',
      advocacy_webhooks: 'WEBHOOKS',
      program_dashboard: 'PAGE',
    });
    for (const uid of ['company_advocacy_card', 'contact_advocate_card', 'deal_reference_card', 'evaluate_advocacy_readiness', 'advocacy_webhooks', 'program_dashboard']) {
      expect(nodes[uid].componentDeps.app).toBe(APP_UID);
    }
  });

  it('when the local profile is applied, then the backend URL reaches the fetch allow-list, the workflow action and the webhooks', () => {
    const { nodes, profileVariables } = privateProject();
    const profile = JSON.parse(readFileSync(join(ROOT, 'hsprofile.local.json'), 'utf8')) as { variables: Record<string, string> };
    const base = profile.variables.ADVOCACY_BACKEND_URL;
    expect(profileVariables.ADVOCACY_BACKEND_URL).toEqual({ variableType: 'PROFILE_STRING', value: base });
    const app = nodes[APP_UID].config as { distribution: string; auth: { type: string }; permittedUrls: { fetch: string[] } };
    expect(app.distribution).toBe('private');
    expect(app.auth.type).toBe('static');
    expect(app.permittedUrls.fetch).toEqual([base]);
    expect((nodes.evaluate_advocacy_readiness.config as { actionUrl: string }).actionUrl).toBe(`${base}/hubspot/v1/workflow/evaluate`);
    const webhooks = nodes.advocacy_webhooks.config as { settings: { targetUrl: string }; subscriptions: { legacyCrmObjects: Array<{ subscriptionType: string; propertyName: string }> } };
    expect(webhooks.settings.targetUrl).toBe(`${base}/hubspot/v1/webhooks`);
    expect(webhooks.subscriptions.legacyCrmObjects).toEqual([
      expect.objectContaining({ subscriptionType: 'company.propertyChange', propertyName: profile.variables.HEALTH_SCORE_PROPERTY }),
      expect.objectContaining({ subscriptionType: 'company.propertyChange', propertyName: profile.variables.NPS_PROPERTY }),
    ]);
  });

  it('when the webhooks are read, then they subscribe to HubSpot\'s privacy-compliant contact deletion (the backend erases that person)', () => {
    const { nodes } = privateProject();
    const webhooks = nodes.advocacy_webhooks.config as { subscriptions: { hubEvents?: Array<{ subscriptionType: string; active: boolean }> } };
    expect(webhooks.subscriptions.hubEvents).toEqual([{ subscriptionType: 'contact.privacyDeletion', active: true }]);
  });

  it('when the workflow action is read, then it evaluates companies and offers the five outputs the backend returns', () => {
    const { nodes } = privateProject();
    const action = nodes.evaluate_advocacy_readiness.config as { objectTypes: string[]; outputFields: Array<{ typeDefinition: { name: string } }> };
    expect(action.objectTypes).toEqual(['COMPANY']);
    expect(action.outputFields.map((f) => f.typeDefinition.name)).toEqual(['readiness_score', 'readiness_band', 'decision', 'ask_type', 'reason_codes']);
  });

  it('when each card is read, then its entrypoint file exists in the project and its location fits its record', () => {
    const { nodes } = privateProject();
    const cards = Object.values(nodes).filter((n) => n.componentType === 'CARD');
    expect(cards.map((c) => [(c.config as { location: string }).location, (c.config as { objectTypes: string[] }).objectTypes])).toEqual([
      ['crm.record.tab', ['COMPANY']],
      ['crm.record.sidebar', ['CONTACT']],
      ['crm.record.tab', ['DEAL']],
    ]);
    for (const c of cards) expect(existsSync(join(ROOT, SRC_DIR, (c.config as { entrypoint: string }).entrypoint))).toBe(true);
  });

  it('when the program dashboard page is read, then its entrypoint and every cards/ file it imports are in app/pages, and no dashboard source is bundled with the cards', () => {
    const { nodes } = privateProject();
    const entrypoint = (nodes.program_dashboard.config as { entrypoint: string }).entrypoint;
    expect(entrypoint).toBe('/app/pages/dashboard/program-dashboard.tsx');
    expect(existsSync(join(ROOT, SRC_DIR, entrypoint))).toBe(true);
    const under = (dir: string) => filesUnder(ROOT).filter((f) => f.startsWith(`${SRC_DIR}/${dir}/`)).map((f) => f.slice(`${SRC_DIR}/${dir}/`.length));
    const pages = under('app/pages');
    expect(pages).toEqual(expect.arrayContaining(['package.json', 'lib/api.ts', 'lib/remote.ts', 'components/states.tsx', 'dashboard/ProgramDashboard.tsx', 'dashboard/useProgramDashboard.ts']));
    expect(under('app/cards').filter((f) => f.startsWith('dashboard/'))).toEqual([]);
  });

  it('when the marketplace variant is built, then HubSpot reads an OAuth marketplace app with the advocacy-ask app object generated from objects/advocacy-ask.json', () => {
    const out = mkdtempSync(join(tmpdir(), 'ext-mkt-'));
    try {
      writeExtension(buildExtension('marketplace', ROOT), out);
      const { nodes, skippedHsMetaFiles } = translateProject(join(out, SRC_DIR), PLATFORM_VERSION, 'prod');
      expect(skippedHsMetaFiles).toEqual([]);
      expect(Object.keys(nodes).sort()).toEqual(
        [APP_UID, APP_OBJECT_UID, `${APP_OBJECT_UID}_to_company`, `${APP_OBJECT_UID}_to_contact`, `${APP_OBJECT_UID}_to_deal`, 'advocacy_webhooks', 'company_advocacy_card', 'contact_advocate_card', 'deal_reference_card', 'evaluate_advocacy_readiness', 'program_dashboard'].sort(),
      );
      const app = nodes[APP_UID].config as { distribution: string; auth: { type: string; redirectUrls: string[] } };
      expect(app.distribution).toBe('marketplace');
      expect(app.auth.type).toBe('oauth');
      expect(app.auth.redirectUrls[0]).toMatch(/^https:\/\/.+\/hubspot\/oauth\/callback$/);
      const def = loadObjectDefinition();
      const object = nodes[APP_OBJECT_UID].config as { properties: Array<{ name: string; type: string }>; primaryDisplayLabelPropertyName: string };
      expect(object.properties.map((p) => p.name)).toEqual(def.fields.map((f) => f.name));
      expect(object.primaryDisplayLabelPropertyName).toBe(def.primaryField);
      expect(nodes[`${APP_OBJECT_UID}_to_deal`].componentDeps.allAppObjects).toEqual([APP_OBJECT_UID]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('what a card may import', () => {
  const cardsDir = join(ROOT, 'cards');
  const file = join(cardsDir, 'components/Example.tsx');
  const deps = ['@hubspot/ui-extensions', 'react'];

  it('when a card imports its own files and its declared packages, then the build accepts it', () => {
    const source = `import { Text } from '@hubspot/ui-extensions';\nimport { useState } from 'react';\nimport type { X } from '../lib/types';\nexport { y } from './states';\n`;
    expect(() => checkCardImports(cardsDir, file, source, deps)).not.toThrow();
  });

  it('when a card imports from outside cards/, then the build stops and names the file', () => {
    expect(() => checkCardImports(cardsDir, file, `import type { AskView } from '../../backend/src/use-cases/views';\n`, deps)).toThrow(
      'cards/components/Example.tsx imports ../../backend/src/use-cases/views, outside cards/: HubSpot would not find it',
    );
  });

  it('when a card imports a package the cards do not depend on, then the build stops', () => {
    expect(() => checkCardImports(cardsDir, file, `import { z } from 'zod';\n`, deps)).toThrow('imports zod, which cards/package.json does not depend on');
  });
});

describe('the build on broken sources', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ext-src-'));
    for (const dir of ['cards', 'workflows', 'objects']) cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
    for (const f of readdirSync(ROOT).filter((name) => /^hsprofile\..+\.json$/.test(name))) cpSync(join(ROOT, f), join(root, f));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('when the copied sources are intact, then they build the committed project', () => {
    expect(drift(buildExtension('private', root), ROOT)).toEqual({ missing: [], extra: [], differing: [] });
  });

  it('when a profile lacks the backend URL, then the build stops and names the profile and the variable', () => {
    writeFileSync(join(root, 'hsprofile.local.json'), JSON.stringify({ accountId: 1, variables: { HEALTH_SCORE_PROPERTY: 'h', NPS_PROPERTY: 'n' } }));
    expect(() => buildExtension('private', root)).toThrow('hsprofile.local.json: variables ADVOCACY_BACKEND_URL must be set');
  });

  it('when cards.json names an entrypoint that does not exist, then the build stops', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'cards/cards.json'), 'utf8')) as { cards: Array<{ entrypoint: string }> };
    manifest.cards[1].entrypoint = 'gone-card.tsx';
    writeFileSync(join(root, 'cards/cards.json'), JSON.stringify(manifest));
    expect(() => buildExtension('private', root)).toThrow('cards/cards.json: contact_advocate_card names a missing entrypoint gone-card.tsx');
  });
});
