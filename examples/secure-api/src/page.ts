// The single page the browser test drives. The script only ever sees /api/me's JSON: the tokens sit in
// HttpOnly cookies it cannot read.
export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>secure-api</title></head>
<body>
<h1>secure-api</h1>
<p id="status">Checking…</p>
<p><a id="login" href="/auth/login">Sign in</a></p>
<form id="logout" method="post" action="/auth/session/logout"><button type="submit">Sign out</button></form>
<button id="refresh" type="button">Refresh session</button>
<script src="/app.js"></script>
</body></html>`;

export const SCRIPT = `
async function whoAmI() {
  const res = await fetch('/api/me', { credentials: 'include' });
  const status = document.getElementById('status');
  if (res.ok) {
    const me = await res.json();
    status.textContent = 'Signed in as ' + me.username;
  } else {
    status.textContent = 'Signed out (' + res.status + ')';
  }
  status.dataset.code = String(res.status);
  return res.status;
}
async function refreshSession() {
  const res = await fetch('/auth/session/refresh', {
    method: 'POST',
    credentials: 'include',
    headers: { 'X-Requested-With': 'fetch' },
  });
  return res.status;
}
document.getElementById('refresh').addEventListener('click', () => refreshSession().then(whoAmI));
window.secureApi = { whoAmI, refreshSession };
whoAmI();
`;
