// Initialises GOV.UK and MOJ Frontend components and the session timeout warning.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

initAll();

import("/static/vendor/moj/moj-frontend.min.js")
  .then((moj) => { if (moj.initAll) { moj.initAll(); } })
  .catch(() => { /* MOJ components are progressive enhancements */ });

// Session timeout warning (WCAG 2.2.1 Timing Adjustable): warn before the idle timeout and
// offer to extend the session without losing the page.
const dialog = document.getElementById("session-dialog");
if (dialog && typeof dialog.showModal === "function") {
  const idleMs = Number(dialog.dataset.idleMinutes) * 60 * 1000;
  const warnMs = Number(dialog.dataset.warningMinutes) * 60 * 1000;
  const remaining = document.getElementById("session-dialog-remaining");
  let warnTimer;
  let endTimer;

  const schedule = (msLeft) => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => {
      const minutes = Math.max(1, Math.round(Math.min(warnMs, msLeft) / 60000));
      remaining.textContent = minutes === 1 ? "1 minute" : `${minutes} minutes`;
      dialog.showModal();
      document.getElementById("session-extend").focus();
    }, Math.max(0, msLeft - warnMs));
    endTimer = setTimeout(() => {
      window.location.href = dialog.dataset.signinUrl;
    }, msLeft + 1000);
  };

  document.getElementById("session-extend").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.extendUrl, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrf },
      credentials: "same-origin",
      redirect: "manual", // an ended session answers with a redirect to sign in, not JSON
    });
    dialog.close();
    if (response.ok) {
      const body = await response.json();
      schedule(body.seconds_remaining * 1000);
    } else {
      window.location.href = dialog.dataset.signinUrl;
    }
  });

  // What is really left: near the 12-hour limit that is less than the idle time.
  const left = Number(dialog.dataset.secondsRemaining);
  schedule(dialog.dataset.secondsRemaining && left >= 0 ? Math.min(idleMs, left * 1000) : idleMs);
}
