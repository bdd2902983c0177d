// The back-office journey of a request in Debian's Chromium: the secrétariat records a
// request received by phone (with a photo), transmits it to a team, types in the field
// agent's return; the responsable closes it; the field agent's phone list works with two
// taps. Every page of the journey is checked with axe-core (WCAG 2.1 A/AA).

import { describe, it } from 'node:test';
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
// the head of a JPEG (JFIF): enough for libmagic to call it image/jpeg
const PHOTO = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/9k=', 'base64');

mkdirSync(SHOTS, { recursive: true });
const env = stackAndBrowser();

async function signIn(user, viewport = { width: 1280, height: 800 }) {
    const context = await env.browser.newContext({ viewport, locale: 'fr-FR' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(env.app + '/connexion');
    await page.getByLabel('Identifiant').fill(user);
    await page.getByLabel('Mot de passe').fill('demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
}

async function noViolations(page, name) {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
                     [], `accessibility violations on ${name}`);
}

async function statusText(page) {
    return (await page.locator('.request-head .status strong').innerText()).trim();
}

describe('a request from the phone call to its closing', () => {
    let requestUrl, number;

    it('the secrétariat records it with a photo', async () => {
        const page = await signIn('secretariat');
        await page.getByRole('link', { name: 'Nouvelle demande' }).click();
        await noViolations(page, 'request-form-empty');
        // first a mistake: the form comes back with the message and what was typed
        await page.getByLabel('Adresse intervention').fill('8 rue du Midi');
        await page.getByLabel('Téléphone').fill('12 34');
        await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
        await page.getByText('Le formulaire contient').waitFor();
        assert.equal(await page.getByLabel('Adresse intervention').inputValue(), '8 rue du Midi');
        await noViolations(page, 'request-form-errors');
        await page.getByLabel('Origine de la demande').selectOption({ label: 'Téléphone' });
        await page.getByLabel('Nature du demandeur').selectOption({ label: 'Particulier' });
        await page.getByLabel('Titre du demandeur').selectOption({ label: 'Mme' });
        await page.getByLabel('Nom du demandeur').fill('LEROY Anne');
        await page.getByLabel('Ville').selectOption({ label: 'Vincennes' });
        await page.getByLabel('Téléphone').fill('06 12 34 56 78');
        await page.getByLabel('Objet de la demande').selectOption({ label: 'Avaloir bouché' });
        await page.getByLabel("Complément d'objet").fill('Avaloir bouché devant le n° 8, eau stagnante');
        await page.getByLabel('Pièce jointe').setInputFiles(
            { name: 'avaloir.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
        await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
        const done = page.getByText(/Demande N° \d{4} \/ \d+ enregistrée/);
        await done.waitFor();
        number = (await done.innerText()).match(/N° (\d{4} \/ \d+)/)[1];
        requestUrl = page.url().replace(/\?.*$/, '');
        assert.equal(await statusText(page), 'Nouvelle');
        assert.ok(await page.getByRole('link', { name: 'avaloir.jpg' }).isVisible());
        await noViolations(page, 'request-page-new');
        await page.context().close();
    });

    it('transmits it to a team, then types in the field agent’s return', async () => {
        const page = await signIn('secretariat');
        await page.goto(requestUrl);
        const transmit = page.locator('form', { has: page.getByRole('heading', { name: 'Transmettre à une équipe' }) });
        await transmit.getByLabel('Transmise à').selectOption({ label: 'Pôle petits travaux' });
        await transmit.getByRole('button', { name: 'Transmettre' }).click();
        await page.getByText(/Statut de la demande N° .* mis à jour/).waitFor();
        assert.equal(await statusText(page), 'Transmise');
        const done = page.locator('form', { has: page.getByRole('heading', { name: "Enregistrer l'intervention réalisée" }) });
        await done.getByLabel('Début intervention').fill('2025-06-24T09:00');
        await done.getByLabel('Fin intervention').fill('2025-06-24T10:15');
        await done.getByLabel('Commentaire intervention').fill('Avaloir débouché, curage du branchement.');
        await done.getByLabel('Intervention réalisée par').selectOption({ label: 'Jérôme Petit' });
        await done.getByRole('button', { name: 'Marquer réalisée' }).click();
        await page.getByText(/mis à jour/).waitFor();
        assert.equal(await statusText(page), 'Réalisée');
        await noViolations(page, 'request-page-done');
        await page.context().close();
    });

    it('the responsable closes it and reads its history', async () => {
        const page = await signIn('responsable');
        await page.goto(requestUrl);
        await page.getByRole('button', { name: 'Clôturer' }).click();
        await page.getByText(/mis à jour/).waitFor();
        assert.equal(await statusText(page), 'Clôturée');
        const history = (await page.locator('.history').innerText()).replace(/\u00a0/g, ' ');
        for (const line of ['Marie Dupont : création de la demande',
                            'Marie Dupont : Statut nouvelle → transmise',
                            'Marie Dupont : Statut transmise → réalisée',
                            'Marc Lefèvre : Statut réalisée → clôturée',
                            'pièce jointe ajoutée « avaloir.jpg »']) {
            assert.ok(history.includes(line), `history lacks: ${line}`);
        }
        assert.match(history, /Le \d\d\/\d\d\/\d{4} à \d\d:\d\d, Marie Dupont/);
        await page.context().close();
    });
});

describe('the field agent on his phone', () => {
    it('starts and finishes an intervention in two taps', async () => {
        const sec = await signIn('secretariat');
        await sec.getByRole('link', { name: 'Nouvelle demande' }).click();
        await sec.getByLabel('Origine de la demande').selectOption({ label: 'Commune' });
        await sec.getByLabel('Nature du demandeur').selectOption({ label: 'Commune' });
        await sec.getByLabel('Adresse intervention').fill('Place du Marché');
        await sec.getByLabel('Ville').selectOption({ label: 'Saint-Mandé' });
        await sec.getByLabel('Objet de la demande').selectOption({ label: 'Odeurs' });
        await sec.getByLabel('Transmise à').selectOption({ label: 'Pôle petits travaux' });
        await sec.getByRole('button', { name: 'Enregistrer la demande' }).click();
        const done = sec.getByText(/Demande N° \d{4} \/ \d+ enregistrée/);
        await done.waitFor();
        const number = (await done.innerText()).match(/N° (\d{4} \/ \d+)/)[1];
        await sec.getByRole('button', { name: 'Transmettre' }).click();
        await sec.getByText(/mis à jour/).waitFor();
        await sec.context().close();

        const phone = await signIn('intervenant', { width: 375, height: 667 });
        await phone.getByRole('link', { name: 'Mes interventions' }).click();
        await noViolations(phone, 'mine-phone');
        await phone.getByRole('button', { name: `Commencer N° ${number}` }).click();
        await phone.getByRole('button', { name: `Terminer N° ${number}` }).click();
        await phone.getByRole('heading', { name: 'Mes interventions' }).waitFor();
        assert.equal(await phone.getByRole('button', { name: `Terminer N° ${number}` }).count(), 0);
        await phone.context().close();
    });
});
