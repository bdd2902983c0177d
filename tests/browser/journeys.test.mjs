// Browser journeys through mod_interventions in Debian's Chromium (playwright-core), and
// axe-core on every page at two screen sizes. Only what a user sees is used to find
// things: headings, labels, buttons and links by their French names.
//
//   node --test tests/browser/          (make browser)
//
// One private stack (stack.mjs) and one browser for the whole run; every journey gets a
// fresh browser context (no cookies). Screenshots go to tests/browser/screenshots/.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackAndBrowser } from './stack.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, 'screenshots');
const AXE_SOURCE = readFileSync(
    join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 667 };
const NARROW = { width: 320, height: 568 };

const USER = 'secretariat';
const PASSWORD = 'demo';

mkdirSync(SHOTS, { recursive: true });
const env = stackAndBrowser();

// ------------------------------------------------------------------------- helpers

async function newPage(viewport = DESKTOP) {
    const context = await env.browser.newContext({ viewport, locale: 'fr-FR' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    return page;
}

async function shot(page, name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Waits for the page's level-1 heading, then checks it is the only one and has this name.
async function expectHeading(page, name) {
    const h1 = page.getByRole('heading', { level: 1 });
    await h1.first().waitFor();
    assert.equal(await h1.count(), 1, 'one h1 per page');
    assert.equal((await h1.innerText()).trim(), name);
}

async function isFocused(locator) {
    return locator.evaluate((el) => el === document.activeElement);
}

async function expectFocused(locator, what) {
    assert.ok(await isFocused(locator), `the focus should be on ${what}`);
}

async function openLogin(page) {
    await page.goto(env.stack.base + '/');
    await expectHeading(page, 'Connexion');
}

async function login(page, user = USER, password = PASSWORD) {
    await openLogin(page);
    await page.getByLabel('Identifiant').fill(user);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
}

// Runs axe-core on the page as it is and returns its violations for the WCAG 2.1 A/AA
// tags. The pages' CSP (script-src 'self') blocks an inline <script>, so axe is
// evaluated through the DevTools protocol, which CSP does not govern.
async function axeViolations(page) {
    if (!(await page.evaluate(() => typeof window.axe === 'object')))
        await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (tags) => {
        const result = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
        });
        return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
    }, AXE_TAGS);
}

function describeViolations(violations) {
    return violations.map((v) =>
        `  ${v.id} (${v.impact}) — ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n'),
    ).join('\n');
}

async function expectNoViolations(page, label) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0,
                 `axe (${AXE_TAGS.join(', ')}) on ${label} (${page.url()}):\n${describeViolations(violations)}`);
}

// ------------------------------------------------------------------------- journeys

describe('parcours', { timeout: 60_000 }, () => {
    it('connexion puis déconnexion', async () => {
        const page = await newPage();
        try {
            await openLogin(page);
            assert.match(new URL(page.url()).pathname, /\/interventions\/connexion$/);
            await shot(page, 'connexion');

            await page.getByLabel('Identifiant').fill(USER);
            await page.getByLabel('Mot de passe').fill(PASSWORD);
            await page.getByRole('button', { name: 'Se connecter' }).click();

            await expectHeading(page, "Demandes d'intervention");
            const header = page.getByRole('banner');
            assert.ok(await header.getByText('Marie Dupont', { exact: true }).isVisible(),
                      'the header shows the user name');
            assert.ok(await header.getByText('Secrétariat').isVisible(), 'the header shows the role');
            const logout = page.getByRole('button', { name: 'Se déconnecter' });
            assert.ok(await logout.isVisible(), 'a logout button');
            const statement = page.getByRole('contentinfo').getByRole('link', { name: /^Accessibilité/ });
            assert.ok(await statement.isVisible(), 'a link to the accessibility statement in the footer');
            await shot(page, 'demandes');

            await logout.click();
            await expectHeading(page, 'Connexion');
            assert.ok(await page.getByRole('status').getByText('Vous êtes déconnecté.').isVisible(),
                      'the logout is confirmed');
            await shot(page, 'deconnexion');

            // The session is really over: the list leads back to the login page.
            await page.goto(env.app + '/');
            await expectHeading(page, 'Connexion');
        } finally {
            await page.context().close();
        }
    });

    it('mot de passe erroné', async () => {
        const page = await newPage();
        try {
            await openLogin(page);
            await page.getByLabel('Identifiant').fill(USER);
            await page.getByLabel('Mot de passe').fill('pas-le-bon');
            await page.getByRole('button', { name: 'Se connecter' }).click();

            const alert = page.getByRole('alert');
            await alert.waitFor();
            assert.match(await alert.innerText(), /Identifiant ou mot de passe incorrect\./);
            await expectHeading(page, 'Connexion');
            assert.equal(await page.getByLabel('Identifiant').inputValue(), USER,
                         'the identifier typed is kept');
            assert.equal(await page.getByLabel('Mot de passe').inputValue(), '',
                         'the password is never sent back');
            assert.match(await page.title(), /^Erreur/, 'the title says there is an error');
            // The cursor waits where typing resumes: in the password field.
            await expectFocused(page.getByLabel('Mot de passe'), 'the password field');
            await shot(page, 'connexion-erreur');
        } finally {
            await page.context().close();
        }
    });

    it('au clavier seulement', async () => {
        const page = await newPage();
        try {
            await openLogin(page);
            const skip = page.getByRole('link', { name: 'Aller au contenu' });
            const identifier = page.getByLabel('Identifiant');
            const password = page.getByLabel('Mot de passe');
            const submit = page.getByRole('button', { name: 'Se connecter' });

            // The login form puts the cursor in its first field (autofocus); the skip
            // link is the one thing before it, and shows itself when focused.
            await expectFocused(identifier, 'the identifier field (autofocus)');
            await page.keyboard.press('Shift+Tab');
            await expectFocused(skip, 'the skip link');
            const box = await skip.boundingBox();
            assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen');
            await shot(page, 'clavier-lien-evitement');

            // Following it lands before the form: Tab then reaches the fields in order.
            await page.keyboard.press('Enter');
            await page.keyboard.press('Tab');
            await expectFocused(identifier, 'the identifier field');
            await page.keyboard.type(USER);
            await page.keyboard.press('Tab');
            await expectFocused(password, 'the password field');
            await page.keyboard.type(PASSWORD);
            await page.keyboard.press('Tab');
            await expectFocused(submit, 'the submit button');
            await page.keyboard.press('Shift+Tab');
            await expectFocused(password, 'the password field');

            await page.keyboard.press('Enter');
            await expectHeading(page, "Demandes d'intervention");

            // A page without autofocus: the first Tab reaches the skip link.
            await page.keyboard.press('Tab');
            await expectFocused(skip, 'the skip link, first on the list page');
            // Following it skips the header and its navigation.
            await page.keyboard.press('Enter');
            await page.keyboard.press('Tab');
            const inHeader = await page.evaluate(() => !!document.activeElement?.closest('header'));
            assert.ok(!inHeader, 'after the skip link, Tab goes past the header');
            await shot(page, 'clavier-demandes');
        } finally {
            await page.context().close();
        }
    });

    it('pas de défilement horizontal à 320 px', async () => {
        const page = await newPage(NARROW);
        try {
            const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
            await openLogin(page);
            assert.ok(await scrollWidth() <= NARROW.width, `login page: scrollWidth ${await scrollWidth()}`);
            await shot(page, 'connexion-320');

            await login(page);
            await expectHeading(page, "Demandes d'intervention");
            const width = await scrollWidth();
            await shot(page, 'demandes-320');
            assert.ok(width <= NARROW.width, `list page: scrollWidth ${width} > ${NARROW.width}`);

            await page.getByRole('contentinfo').getByRole('link', { name: /^Accessibilité/ }).click();
            await expectHeading(page, "Déclaration d'accessibilité");
            await shot(page, 'accessibilite-320');
            assert.ok(await scrollWidth() <= NARROW.width,
                      `accessibility statement: scrollWidth ${await scrollWidth()}`);
        } finally {
            await page.context().close();
        }
    });
});

// ------------------------------------------------------------------------- axe-core

for (const viewport of [DESKTOP, PHONE]) {
    const size = `${viewport.width}x${viewport.height}`;

    // The pages in the order a visitor meets them; each step leaves the page to check.
    describe(`accessibilité (axe-core) à ${size}`, { timeout: 60_000 }, () => {
        let page;
        before(async () => { page = await newPage(viewport); });
        after(async () => { await page?.context().close(); });

        const check = async (name) => {
            await shot(page, `axe-${name}-${size}`);
            await expectNoViolations(page, `${name} at ${size}`);
        };

        it('page de connexion vide', async () => {
            await openLogin(page);
            await check('connexion');
        });

        it('page introuvable (non connecté)', async () => {
            const response = await page.goto(env.app + '/page-qui-n-existe-pas');
            assert.equal(response.status(), 404);
            await expectHeading(page, 'Page introuvable');
            await check('introuvable-anonyme');
        });

        it("déclaration d'accessibilité (non connecté)", async () => {
            await page.goto(env.app + '/accessibilite');
            await expectHeading(page, "Déclaration d'accessibilité");
            await check('accessibilite-anonyme');
        });

        it('page de connexion avec une erreur', async () => {
            // Another identifier per screen size: failures count towards the throttle.
            await login(page, `inconnu-${viewport.width}`, 'pas-le-bon');
            await page.getByRole('alert').waitFor();
            await check('connexion-erreur');
        });

        it('liste des demandes', async () => {
            await login(page);
            await expectHeading(page, "Demandes d'intervention");
            await check('demandes');
        });

        it("déclaration d'accessibilité (connecté)", async () => {
            await page.getByRole('contentinfo').getByRole('link', { name: /^Accessibilité/ }).click();
            await expectHeading(page, "Déclaration d'accessibilité");
            await check('accessibilite');
        });

        it('page introuvable (connecté)', async () => {
            const response = await page.goto(env.app + '/page-qui-n-existe-pas');
            assert.equal(response.status(), 404);
            await expectHeading(page, 'Page introuvable');
            await check('introuvable');
        });

        it('page de connexion après déconnexion', async () => {
            await page.getByRole('button', { name: 'Se déconnecter' }).click();
            await page.getByRole('status').waitFor();
            await check('deconnexion');
        });
    });
}
