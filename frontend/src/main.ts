import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { browserLocale, firstPageOnly, setLocale } from './i18n/locale.svelte';
import { startRouter } from './lib/nav.svelte';
import { restoreSession } from './lib/session.svelte';

// Signed out, only the first page's messages load (i18n/locale.svelte.ts).
firstPageOnly();
startRouter();
// Trade the refresh cookie for an access token; without one the app shows
// the login page.
void restoreSession();

// The sign-in page follows the browser and loads only its own messages; a
// signed-in user's choice replaces it, with the app's messages, as soon as
// the session is known (i18n/follow.ts).
const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

void setLocale(browserLocale()).then(() => mount(App, { target }));
