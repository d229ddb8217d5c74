// Site patches (指给我看): kept in chrome.storage.local['danhao.patches'] and in the helper
// (GET/PUT/DELETE /api/v1/patches), so that they survive a reinstall and a team can share them.
// The worker is the only caller of the helper: content scripts and the options page ask here.
//
// A patch: {site, field, locator, created_at, operator?} (the locator's shape: lib/pointing.js
// and helper/api/patches.py). One patch per site and field; a later one replaces it.
// Storage holds an array; the key is absent only before the first use (a fresh install): then
// the helper's patches are pulled in.
import { callMethod, isTransient } from './helper-client.js';
import { enqueue, newRequestId } from './queue.js';
import '../lib/i18n.js';

const t = (key, subs) => globalThis.DanhaoI18n.t(key, subs);

export const PATCHES_KEY = 'danhao.patches';
export const FILE_KIND = 'danhao-site-patches';
const SITES = ['pdd-seller', 'taobao-seller', 'douyin-seller', 'kuaishou-seller', 'jd-seller', 'xhs-seller', 'wechat-seller',
  'alibaba-buyer', 'pdd-buyer', 'taobao-buyer', 'aliexpress-buyer'];
const FIELD_RE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.\-[\]]{0,59}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const WORD_KEYS = ['aria_label', 'placeholder', 'text', 'title', 'header', 'label'];
const LOCATOR_KEYS = new Set(['kind', 'control', 'role', 'labels', 'name', 'scope', 'position', 'sample', ...WORD_KEYS]);

// One chain for storage writes: a save never races a removal or a pull.
let chain = Promise.resolve();
const serial = (fn) => (chain = chain.then(fn, fn));

export class PatchError extends Error {
  constructor(message, code = 'bad_patch') { super(message); this.code = code; }
  toJSON() { return { code: this.code, message: this.message }; }
}

async function stored() {
  const got = await chrome.storage.local.get(PATCHES_KEY);
  return Array.isArray(got[PATCHES_KEY]) ? got[PATCHES_KEY] : null;
}

const keyOf = (p) => `${p.site}/${p.field}`;
const sorted = (list) => [...list].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

/** Where a patch breaks the rules (the helper's, helper/api/patches.py) → '' when none, else a
 *  path and a reason in English ("locator.selector: unknown key"). Same checks on both sides so
 *  that an imported file the extension accepts is one the helper accepts. */
export function patchProblem(p) {
  const str = (v, max) => typeof v === 'string' && v.length <= max;
  const word = (v) => str(v, 120) && v.length >= 1;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'not an object';
  for (const k of Object.keys(p)) if (!['site', 'field', 'locator', 'created_at', 'operator', 'updated_at'].includes(k)) return `${k}: unknown key`;
  if (!SITES.includes(p.site)) return 'site: unknown site';
  if (typeof p.field !== 'string' || !FIELD_RE.test(p.field)) return 'field: not a field name';
  if (typeof p.created_at !== 'string' || !ISO_RE.test(p.created_at)) return 'created_at: not an ISO 8601 time';
  if (p.operator != null && !str(p.operator, 60)) return 'operator: not a short text';
  const l = p.locator;
  if (!l || typeof l !== 'object' || Array.isArray(l)) return 'locator: not an object';
  for (const k of Object.keys(l)) if (!LOCATOR_KEYS.has(k)) return `locator.${k}: unknown key`;
  if (!['field', 'button', 'column', 'label'].includes(l.kind)) return 'locator.kind: not field, button, column or label';
  for (const k of WORD_KEYS) if (l[k] != null && !word(l[k])) return `locator.${k}: not a text of 1–120 characters`;
  for (const k of ['control', 'role']) if (l[k] != null && !str(l[k], 40)) return `locator.${k}: too long`;
  if (l.sample != null && !str(l.sample, 200)) return 'locator.sample: too long';
  if (l.name != null && !(typeof l.name === 'string' && NAME_RE.test(l.name))) return 'locator.name: not a plain name';
  if (l.labels != null && !(Array.isArray(l.labels) && l.labels.length <= 8 && l.labels.every(word))) return 'locator.labels: not up to 8 texts';
  if (l.scope != null) {
    if (typeof l.scope !== 'object' || Array.isArray(l.scope)) return 'locator.scope: not an object';
    for (const k of Object.keys(l.scope)) if (!['dialog', 'heading'].includes(k) || (l.scope[k] != null && !word(l.scope[k]))) return `locator.scope.${k}: not allowed`;
  }
  if (l.position != null) {
    const q = l.position;
    const int = (v, lo) => Number.isInteger(v) && v >= lo && v <= 999;
    if (typeof q !== 'object' || Object.keys(q).some((k) => !['kind', 'index', 'count'].includes(k))
      || !str(q.kind, 40) || !q.kind || !int(q.index, 0) || !int(q.count, 1)) return 'locator.position: not {kind, index, count}';
  }
  if (l.kind === 'column' && !l.header) return 'locator.header: a column needs its header';
  if (l.kind === 'label' && !l.label) return 'locator.label: a label locator needs its label';
  if ((l.kind === 'field' || l.kind === 'button') && !((l.labels && l.labels.length) || l.aria_label || l.placeholder || l.name
    || l.text || l.title || (l.role && l.position))) return 'locator: names no page text';
  return '';
}

const clean = (p) => ({ site: p.site, field: p.field, locator: p.locator, created_at: p.created_at,
  ...(p.operator ? { operator: p.operator } : {}) });

/** The helper's patches into storage, if storage has none yet (a fresh install). → list | null. */
export async function pullFromHelper() {
  let data;
  try { ({ data } = await callMethod('GET', '/api/v1/patches')); } catch (e) { return null; }
  const theirs = ((data && data.patches) || []).filter((p) => !patchProblem(clean(p))).map(clean);
  return serial(async () => {
    const now = await stored();
    if (now !== null) return now;                 // saved meanwhile: the local list wins
    await chrome.storage.local.set({ [PATCHES_KEY]: sorted(theirs) });
    return sorted(theirs);
  });
}

/** Every patch (all sites), pulling the helper's first when this install has none. */
export async function listPatches({ pull = true } = {}) {
  const now = await stored();
  if (now !== null || !pull) return now || [];
  return (await pullFromHelper()) || [];
}

// Writes to the helper: sent now, queued (same request id) when it is away.
async function toHelper(method, path, body) {
  const id = newRequestId();
  try {
    await callMethod(method, path, body, { requestId: id });
    return { state: 'saved' };
  } catch (e) {
    if (!isTransient(e)) return { state: 'refused', error: e.toJSON ? e.toJSON() : { message: String(e) } };
    await enqueue({ id, method, path, body });
    return { state: 'queued' };
  }
}

async function upsert(list) {
  return serial(async () => {
    const byKey = new Map(((await stored()) || []).map((p) => [keyOf(p), p]));
    for (const p of list) byKey.set(keyOf(p), p);
    await chrome.storage.local.set({ [PATCHES_KEY]: sorted(byKey.values()) });
  });
}

/** Saves one patch (the person confirmed 指给我看) → {patch, helper: 'saved'|'queued'|'refused'}. */
export async function savePatch(raw) {
  // Who saved it is recorded by the helper from the pairing token.
  const patch = clean({ ...raw });
  const problem = patchProblem(patch);
  if (problem) throw new PatchError(t('patchInvalid', [problem]));
  await upsert([patch]);
  const helper = await toHelper('PUT', '/api/v1/patches', patch);
  return { patch, helper: helper.state, error: helper.error || null };
}

/** Removes one site's patch for one field, here and in the helper. */
export async function removePatch(site, field) {
  await serial(async () => {
    const list = ((await stored()) || []).filter((p) => !(p.site === site && p.field === field));
    await chrome.storage.local.set({ [PATCHES_KEY]: list });
  });
  const helper = await toHelper('DELETE', `/api/v1/patches/${encodeURIComponent(site)}/${encodeURIComponent(field)}`);
  return { removed: { site, field }, helper: helper.state };
}

/** The export file: {kind, version, exported_at, patches}. */
export async function exportFile() {
  return { kind: FILE_KIND, version: 1, exported_at: new Date().toISOString(), patches: await listPatches({ pull: false }) };
}

/** Checks a whole file (its text) → the patches in it; throws PatchError (nothing changed) when
 *  it is not JSON, not a patch file, or any patch in it breaks the rules. */
export function parseFile(text) {
  let doc;
  try { doc = JSON.parse(String(text)); } catch (e) { throw new PatchError(t('patchFileBad', [t('patchFileNotJson')]), 'bad_file'); }
  const list = Array.isArray(doc) ? doc : doc && doc.kind === FILE_KIND && Array.isArray(doc.patches) ? doc.patches : null;
  if (!list) throw new PatchError(t('patchFileBad', [t('patchFileNotPatches')]), 'bad_file');
  if (list.length > 500) throw new PatchError(t('patchFileBad', [t('patchFileTooMany')]), 'bad_file');
  list.forEach((p, i) => {
    const problem = patchProblem(p);
    if (problem) throw new PatchError(t('patchFileBad', [t('patchFileEntry', [i + 1, problem])]), 'bad_file');
  });
  const keys = list.map(keyOf);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new PatchError(t('patchFileBad', [t('patchFileTwice', [twice])]), 'bad_file');
  return list.map(clean);
}

/** Imports a file's patches (all or nothing) → {imported, helper: {saved, queued, refused}}. */
export async function importFile(text) {
  const list = parseFile(text);
  await upsert(list);
  const helper = { saved: 0, queued: 0, refused: 0 };
  for (const p of list) helper[(await toHelper('PUT', '/api/v1/patches', p)).state] += 1;
  return { imported: list.length, helper };
}

const ok = (data) => ({ ok: true, data });

/** Message handlers the worker adds to its router. */
export const patchHandlers = {
  async 'cs:patches'() { return ok({ patches: await listPatches() }); },
  async 'cs:patch-save'(msg) { return ok(await savePatch(msg.patch)); },
  async 'options:patches'() { return ok({ patches: await listPatches() }); },
  async 'options:patch-remove'(msg) { return ok(await removePatch(msg.site, msg.field)); },
  async 'options:patches-export'() { return ok(await exportFile()); },
  async 'options:patches-import'(msg) { return ok(await importFile(msg.text)); },
};

// A fresh install (a new profile, a reinstall) starts with no patches: the helper's are taken as
// soon as it answers (here at start, else at the first page that asks for them).
const pullOnStart = () => { listPatches().catch(() => {}); };
chrome.runtime.onInstalled.addListener(pullOnStart);
chrome.runtime.onStartup.addListener(pullOnStart);
