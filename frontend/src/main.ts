import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { startRouter } from './lib/nav.svelte';
import { restoreSession } from './lib/session.svelte';

startRouter();
// Trade the refresh cookie for an access token; without one the app shows
// the login page.
void restoreSession();

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

export default mount(App, { target });
