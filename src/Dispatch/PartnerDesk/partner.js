// The partner's bookings update by themselves: the list is fetched every two seconds and swapped in only when
// it changed, and never while the keyboard is inside it (an ETA being typed keeps its focus; the update waits
// until focus leaves). A new booking is announced in one short sentence, flashes (unless the browser asks for
// reduced motion) and, when sound is on, chimes: nobody at the dispatch office misses one.
(() => {
  const list = document.getElementById('bookings');
  if (!list) return; // an account tied to no partner: nothing to update
  const live = document.getElementById('live');
  const sound = document.getElementById('sound');
  const announce = document.getElementById('announce');
  const still = window.matchMedia('(prefers-reduced-motion: reduce)');
  const flashFor = 4000;
  let soundOn = localStorage.getItem('alice.partner.sound') === 'on';
  let audio = null;
  let seen = bookings(list);
  let shown = list.innerHTML;
  const flashing = new Map(); // booking id → until when it flashes

  function bookings(root) {
    const map = new Map();
    root.querySelectorAll('tr[data-booking]').forEach(row => map.set(row.dataset.booking, row.querySelector('.code')?.textContent));
    return map;
  }

  function chime() {
    if (!soundOn) return;
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.25, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  }

  function showSound() {
    sound.textContent = soundOn ? sound.dataset.on : sound.dataset.off;
    sound.setAttribute('aria-pressed', String(soundOn));
  }

  sound.addEventListener('click', () => {
    soundOn = !soundOn;
    localStorage.setItem('alice.partner.sound', soundOn ? 'on' : 'off');
    showSound();
    chime();
  });
  showSound();

  function stale(yes) {
    live.classList.toggle('stale', yes);
    live.textContent = yes ? live.dataset.stale : live.dataset.fresh; // said in words, not by colour alone
  }

  async function refresh() {
    let html;
    try {
      const answer = await fetch('/partner/bookings', { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (answer.status === 401 || answer.redirected) { location.href = '/account/login?returnUrl=/partner'; return; }
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
    const now = bookings(next);
    const at = Date.now();
    const news = [];
    now.forEach((code, id) => {
      if (seen.has(id)) return;
      news.push(code);
      flashing.set(id, at + flashFor);
    });
    list.innerHTML = html;
    shown = html;
    flashing.forEach((until, id) => {
      if (until < at) { flashing.delete(id); return; }
      if (!still.matches) list.querySelector(`tr[data-booking="${CSS.escape(id)}"]`)?.classList.add('signal');
    });
    if (news.length > 0) {
      announce.textContent = announce.dataset.text.replace('{0}', news.join(', '));
      chime();
    }
    seen = now;
  }
  setInterval(refresh, 2000);
})();
