import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parseStringPromise } from 'xml2js';
import { LocalCrm } from '../../../backend/src/crm/local/local-crm';
import { TRANSITIONS } from '../../../backend/src/domain/ask-lifecycle';
import { MATCH_ATTRIBUTES } from '../../../backend/src/domain/reference-match';
import { ASK_STATUSES, ASK_TYPES, PUBLISHING_ASK_TYPES } from '../../../backend/src/domain/types';
import { createApp } from '../../../backend/src/http/create-app';
import { salesforceUiRoutes } from '../../../backend/src/http/routes/salesforce-ui-routes';
import { salesforceOrgAuth } from '../../../backend/src/http/salesforce-org-auth';
import { issueOrgKey } from '../../../backend/src/use-cases/salesforce-org-keys';
import { SALESFORCE_LABELS } from '../../../objects/salesforce-labels';
import { HAND_WRITTEN_DIR, LABELS_MODULE, LWC_BUNDLES, LWC_DIR, LWC_RECORD_COMPONENTS, SF_API_VERSION, UI_CONTROLLER_CLASS } from '../../../objects/salesforce-metadata';
import { parseApex } from '../../support/apex';
import { defaultCriteria } from '../../support/builders';
import { testContext } from '../../support/context';
import { openTestDb } from '../../support/store';

// The Lightning components, their Apex controller and the backend, checked against each other
// offline: every Apex method the components import exists and takes the parameters they pass;
// every path the controller calls is a route the backend serves behind the org key; every string
// shown is a custom label; the record pages each component is offered on. (The components'
// behaviour is tested in tests/lwc with sfdx-lwc-jest; the Apex runs only in an org.)

const SFDX = join(__dirname, '../../../objects/sfdx');
const controller = readFileSync(join(SFDX, HAND_WRITTEN_DIR, `${UI_CONTROLLER_CLASS}.cls`), 'utf8');
const controllerTest = readFileSync(join(SFDX, HAND_WRITTEN_DIR, `${UI_CONTROLLER_CLASS}Test.cls`), 'utf8');
const bundleFile = (bundle: string, ext: string) => join(SFDX, LWC_DIR, bundle, `${bundle}.${ext}`);
const read = (path: string) => readFileSync(path, 'utf8');
const componentSources = () => LWC_BUNDLES.filter((b) => `${LWC_DIR}/${b}/${b}.js` !== LABELS_MODULE).flatMap((b) => readdirSync(join(SFDX, LWC_DIR, b)).filter((f) => /\.(js|html)$/.test(f)).map((f) => ({ bundle: b, file: f, source: read(join(SFDX, LWC_DIR, b, f)) })));

/** The controller's @AuraEnabled methods and their parameter names, as declared. */
function auraMethods(): Map<string, { params: string[]; annotation: Record<string, string> }> {
  const parsed = parseApex(controller);
  const out = new Map<string, { params: string[]; annotation: Record<string, string> }>();
  for (const m of parsed.members.filter((x) => x.kind === 'method' && x.annotations.some((a) => a.name === 'AuraEnabled'))) {
    const signature = new RegExp(`public static String ${m.name}\\(([^)]*)\\)`).exec(controller);
    const params = signature ? signature[1].split(',').map((p) => p.trim().split(/\s+/)[1]).filter(Boolean) : [];
    out.set(m.name, { params, annotation: m.annotations.find((a) => a.name === 'AuraEnabled')!.values });
  }
  return out;
}

/** Each `callBackend(method, { ... })` in a component: the method and the object's top-level keys. */
function backendCalls(source: string): Array<{ local: string; keys: string[] }> {
  const out: Array<{ local: string; keys: string[] }> = [];
  for (const m of source.matchAll(/callBackend\((\w+), \{/g)) {
    let depth = 1;
    let i = m.index! + m[0].length;
    const parts: string[] = [''];
    for (; depth > 0 && i < source.length; i++) {
      const ch = source[i];
      if ('{(['.includes(ch)) depth++;
      if ('})]'.includes(ch)) depth--;
      if (depth === 0) break;
      if (ch === ',' && depth === 1) parts.push('');
      else parts[parts.length - 1] += ch;
    }
    out.push({ local: m[1], keys: parts.map((p) => /^\s*(\w+)/.exec(p)?.[1] ?? '').filter(Boolean) });
  }
  return out;
}

describe('the Apex controller behind the Lightning components', () => {
  it('when the controller is parsed, then it has no syntax error and every @AuraEnabled method is not cacheable (answers change with each click)', () => {
    for (const source of [controller, controllerTest]) expect(parseApex(source).errors).toEqual([]);
    const methods = auraMethods();
    expect([...methods.keys()].sort()).toEqual(['createAskNow', 'editAskNote', 'getAccountView', 'getContactView', 'getOpportunityReferences', 'matchReferences', 'recordCsmAsk', 'recordOutcome', 'requestReference', 'revokeConsent']);
    for (const [name, m] of methods) expect({ name, cacheable: m.annotation.cacheable }).toEqual({ name, cacheable: 'false' });
    expect(controller).toMatch(/public with sharing class AdvocacyUiController/);
    // No secret in code: the External Credential adds the org key.
    const code = controller.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/X-Advocacy-Org-Key|Authorization|Bearer/);
  });

  it('when the test class is read, then it fakes the backend with HttpCalloutMock and calls every @AuraEnabled method, and failures too', () => {
    const parsed = parseApex(controllerTest);
    expect(controllerTest).toMatch(/implements HttpCalloutMock/);
    const tests = parsed.members.filter((m) => m.kind === 'method' && m.annotations.some((a) => a.name === 'IsTest')).map((m) => m.name);
    for (const t of tests) expect(t).toMatch(/^when.+_then.+/);
    for (const name of auraMethods().keys()) expect({ name, called: controllerTest.includes(`AdvocacyUiController.${name}(`) }).toEqual({ name, called: true });
    expect(controllerTest).toMatch(/ORG_KEY_EXPIRED/);
    expect(controllerTest).toMatch(/throw new CalloutException/);
    expect(controllerTest).toMatch(/System\.runAs/);
  });

  it('when the controller calls a path, then the backend serves that route behind the org key (no route is missing)', async () => {
    const calls = [...controller.matchAll(/return call\('(GET|POST)', ('[^;]*?'), (?:null|new Map|body|jsonObject)/g)].map(([, method, expr]) => ({
      method,
      path: expr.replace(/' \+ segment\((\w+)\) \+ '/g, ':$1').replace(/^'|'$/g, ''),
    }));
    expect(calls).toHaveLength(auraMethods().size);
    const db = await openTestDb('pglite');
    try {
      const portal = 'salesforce:00D5g000004ROUTE';
      const ctx = await testContext(db, { crmFor: (p) => new LocalCrm(db, p) });
      const { key } = await issueOrgKey(ctx, portal, { days: 1, actor: 'test' });
      const app = createApp({ ctx, extraRouters: [{ path: '/salesforce/ui/v1', router: salesforceUiRoutes({ ctx, authenticate: salesforceOrgAuth({ ctx, serves: (p) => p === portal }) }) }] });
      for (const c of calls) {
        const path = c.path.replace(/:(\w+)/g, (_m, p) => `x-${p}`);
        const req = request(app)[c.method === 'GET' ? 'get' : 'post'](`/salesforce/ui/v1${path}`).set('X-Advocacy-Org-Key', key).set('X-Advocacy-Org-Id', '00D5g000004ROUTEAA').set('X-Advocacy-User-Id', '0055g00000CSMAAAA2').set('X-Advocacy-Record-Id', 'x-record');
        const res = await (c.method === 'POST' ? req.send({}) : req);
        // A missing route answers NOT_FOUND ("no route ..."); a served one refuses the made-up ids or body in its own words.
        expect({ ...c, code: res.body?.error?.code ?? null }).not.toEqual({ ...c, code: 'NOT_FOUND' });
        expect({ ...c, status: res.status }).not.toEqual({ ...c, status: 401 });
      }
    } finally {
      await db.close();
    }
  });
});

describe('the Lightning components', () => {
  it('when a component imports a controller method, then the method is @AuraEnabled and takes exactly the parameters the component passes', () => {
    const methods = auraMethods();
    const used = new Set<string>();
    for (const { bundle, file, source } of componentSources().filter((s) => s.file.endsWith('.js'))) {
      const imports = new Map([...source.matchAll(/import (\w+) from '@salesforce\/apex\/(\w+)\.(\w+)';/g)].map(([, local, cls, method]) => [local, { cls, method }]));
      for (const [, { cls, method }] of imports) {
        expect({ bundle, cls, method, aura: methods.has(method) }).toEqual({ bundle, cls: UI_CONTROLLER_CLASS, method, aura: true });
        used.add(method);
      }
      for (const { local, keys } of backendCalls(source)) {
        const target = imports.get(local);
        expect({ file, local, imported: Boolean(target) }).toEqual({ file, local, imported: true });
        expect({ file, method: target!.method, params: [...keys].sort() }).toEqual({ file, method: target!.method, params: [...methods.get(target!.method)!.params].sort() });
      }
    }
    expect([...used].sort()).toEqual([...methods.keys()].sort());
  });

  it('when a component is offered in Lightning App Builder, then it is exposed on the record page of its object only; the shared modules are not exposed', async () => {
    for (const bundle of LWC_BUNDLES) {
      const meta = (await parseStringPromise(read(bundleFile(bundle, 'js-meta.xml')), { explicitArray: false })).LightningComponentBundle;
      expect({ bundle, apiVersion: meta.apiVersion }).toEqual({ bundle, apiVersion: SF_API_VERSION });
      const object = (LWC_RECORD_COMPONENTS as Record<string, string>)[bundle];
      if (!object) {
        expect({ bundle, exposed: meta.isExposed }).toEqual({ bundle, exposed: 'false' });
        continue;
      }
      expect({ bundle, exposed: meta.isExposed, targets: meta.targets.target }).toEqual({ bundle, exposed: 'true', targets: 'lightning__RecordPage' });
      expect(meta.targetConfigs.targetConfig).toEqual({ $: { targets: 'lightning__RecordPage' }, objects: { object } });
    }
  });

  it('when a component shows text, then it is a custom label: templates hold no literal words, and every label named exists', () => {
    const labels = new Set(Object.keys(SALESFORCE_LABELS));
    for (const { file, source } of componentSources()) {
      for (const [, name] of source.matchAll(/(?:LABELS|labels)\.(Advocacy_\w+)/g)) expect({ file, name, exists: labels.has(name) }).toEqual({ file, name, exists: true });
      if (!file.endsWith('.html')) continue;
      const text = source.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ' ').replace(/\{[^}]*\}/g, ' ').replace(/[\s·:]+/g, '');
      expect({ file, literalText: text }).toEqual({ file, literalText: '' });
      const literalAttributes = [...source.matchAll(/\s(label|title|alternative-text|placeholder)="([^"{][^"]*)"/g)].map((m) => `${m[1]}="${m[2]}"`);
      expect({ file, literalAttributes }).toEqual({ file, literalAttributes: [] });
    }
  });

  it('when labels are looked up by kind (ask type, status, band, signal, request stage, need), then each kind has a label for every value the backend can send', () => {
    const want = [
      ...ASK_TYPES.map((t) => `Advocacy_Ask_${t}`),
      ...ASK_STATUSES.map((s) => `Advocacy_Status_${s}`),
      ...['green', 'amber', 'red'].map((b) => `Advocacy_Band_${b}`),
      ...Object.keys(defaultCriteria().readiness.weights).map((s) => `Advocacy_Signal_${s}`),
      ...['requested', 'approved', 'scheduled', 'completed', 'declined'].map((s) => `Advocacy_Stage_${s}`),
      ...[...MATCH_ATTRIBUTES, 'dueOn'].map((a) => `Advocacy_Need_${a}`),
    ];
    expect(want.filter((w) => !(w in SALESFORCE_LABELS))).toEqual([]);
    const module = read(join(SFDX, LABELS_MODULE));
    expect([...module.matchAll(/import (\w+) from '@salesforce\/label\/c\.(\w+)';/g)].map(([, local, name]) => (local === name ? name : `${local}!=${name}`)).sort()).toEqual(Object.keys(SALESFORCE_LABELS).sort());
  });

  it("when the components know the ladder and the lifecycle, then they know the backend's, in the same order", () => {
    const api = read(bundleFile('advocacyApi', 'js'));
    const constant = (name: string) => JSON.parse(new RegExp(`export const ${name} = ([\\s\\S]*?);\\n`).exec(api)![1].replace(/'/g, '"').replace(/(\w+):/g, '"$1":'));
    expect(constant('ASK_TYPES')).toEqual([...ASK_TYPES]);
    expect(constant('PUBLISHING_ASK_TYPES')).toEqual([...PUBLISHING_ASK_TYPES]);
    expect(constant('TRANSITIONS')).toEqual(TRANSITIONS);
  });
});
