// A staff page's list that updates by itself (the centre's board, a partner's bookings): the element with
// data-live is fetched again every data-every milliseconds and swapped in only when it changed, and never
// while the keyboard is inside it (a control being used keeps its focus; the update waits until focus
// leaves). New rows are announced in one short sentence. Rows are flashed for a few seconds, across updates
// (unless the browser asks for reduced motion), and chime when sound is on: with data-signal, the rows whose
// status has just become one of those listed; without it, every new row. Nobody misses what matters.
(() => {
  const list = document.querySelector('[data-live]');
  if (!list) return; // nothing to update (a dispatcher's account tied to no partner)
  const live = document.getElementById('live');
  const sound = document.getElementById('sound');
  const prompt = document.getElementById('sound-prompt');
  const announce = document.getElementById('announce');
  const still = window.matchMedia('(prefers-reduced-motion: reduce)');
  const { live: source, login, every, row: kind, signal: signalled, tone, sound: soundKey } = list.dataset;
  const flashFor = 4000;
  let soundOn = localStorage.getItem(soundKey) === 'on';
  let audio = null;
  let seen = rows(list);
  let shown = list.innerHTML;
  const flashing = new Map(); // row id → until when it flashes

  function rows(root) {
    const map = new Map();
    root.querySelectorAll(`tr[data-${kind}]`).forEach(tr =>
      map.set(tr.dataset[kind], { status: tr.dataset.status, code: tr.querySelector('.code')?.textContent }));
    return map;
  }

  function chime() {
    if (!soundOn) return;
    audio = audio || new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = Number(tone);
    gain.gain.setValueAtTime(0.25, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.7);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.7);
  }

  function showSound() {
    sound.textContent = soundOn ? sound.dataset.on : sound.dataset.off;
    sound.setAttribute('aria-pressed', String(soundOn));
    if (prompt) prompt.hidden = soundOn;
  }

  sound.addEventListener('click', () => {
    soundOn = !soundOn;
    localStorage.setItem(soundKey, soundOn ? 'on' : 'off');
    showSound();
    chime();
  });
  showSound();

  function stale(yes) {
    live.classList.toggle('stale', yes);
    live.textContent = yes ? live.dataset.stale : live.dataset.fresh; // said in words, not by colour alone
  }

  /// Whether a row is to be flashed now: its status has just become a signalled one, or (without data-signal) it is new.
  function signals(now, before) {
    if (!signalled) return !before;
    return signalled.split(' ').includes(now.status) && before?.status !== now.status;
  }

  async function refresh() {
    let html;
    try {
      const answer = await fetch(source, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (answer.status === 401 || answer.redirected) { location.href = `/account/login?returnUrl=${login}`; return; }
      if (!answer.ok) throw new Error(String(answer.status));
      html = await answer.text();
      stale(false);
    } catch {
      stale(true); // the list may be out of date
      return;
    }
    if (html === shown || list.contains(document.activeElement)) return;
    const next = document.createElement('div');
    next.innerHTML = html;
    const now = rows(next);
    const at = Date.now();
    let signal = false;
    const news = [];
    now.forEach((row, id) => {
      const before = seen.get(id);
      if (!before) news.push(row.code);
      if (signals(row, before)) {
        flashing.set(id, at + flashFor);
        signal = true;
      }
    });
    list.innerHTML = html;
    shown = html;
    flashing.forEach((until, id) => {
      if (until < at) { flashing.delete(id); return; }
      if (!still.matches) list.querySelector(`tr[data-${kind}="${CSS.escape(id)}"]`)?.classList.add('signal');
    });
    if (news.length > 0) announce.textContent = announce.dataset.text.replace('{0}', news.join(', '));
    if (signal) chime();
    seen = now;
  }
  setInterval(refresh, Number(every));
})();
