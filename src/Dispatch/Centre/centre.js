// The centre's board updates by itself: its fragment is fetched every second and swapped in only when it
// changed, and never while the keyboard is inside it (a control being used keeps its focus; the update
// waits until focus leaves). A ride that has just been booked, or whose passenger is now on board, is
// flashed for a few seconds (across updates) and, when sound is on, chimes; a new ride is announced in one
// short sentence: the centre is warned before the passenger arrives.
(() => {
  const board = document.getElementById('board');
  const live = document.getElementById('live');
  const sound = document.getElementById('sound');
  const prompt = document.getElementById('sound-prompt');
  const announce = document.getElementById('announce');
  const signalled = ['booked', 'passenger_on_board'];
  const flashFor = 4000;
  let soundOn = localStorage.getItem('alice.sound') === 'on';
  let audio = null;
  let seen = statuses(board);
  let shown = board.innerHTML;
  const flashing = new Map(); // ride id → until when it flashes

  function statuses(root) {
    const map = new Map();
    root.querySelectorAll('tr[data-ride]').forEach(row => map.set(row.dataset.ride, { status: row.dataset.status, code: row.querySelector('.code')?.textContent }));
    return map;
  }

  function chime() {
    if (!soundOn) return;
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 660;
    gain.gain.setValueAtTime(0.25, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.8);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.8);
  }

  function showSound() {
    sound.textContent = soundOn ? sound.dataset.on : sound.dataset.off;
    sound.setAttribute('aria-pressed', String(soundOn));
    prompt.hidden = soundOn;
  }

  sound.addEventListener('click', () => {
    soundOn = !soundOn;
    localStorage.setItem('alice.sound', soundOn ? 'on' : 'off');
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
      const answer = await fetch('/centre/board', { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (answer.status === 401 || answer.redirected) { location.href = '/account/login?returnUrl=/centre'; return; }
      if (!answer.ok) throw new Error(String(answer.status));
      html = await answer.text();
      stale(false);
    } catch {
      stale(true); // the board may be out of date
      return;
    }
    if (html === shown || board.contains(document.activeElement)) return;
    const next = document.createElement('div');
    next.innerHTML = html;
    const now = statuses(next);
    const at = Date.now();
    let signal = false;
    const news = [];
    now.forEach((ride, id) => {
      const before = seen.get(id);
      if (!before) news.push(ride.code);
      if (signalled.includes(ride.status) && before?.status !== ride.status) {
        flashing.set(id, at + flashFor);
        signal = true;
      }
    });
    board.innerHTML = html;
    shown = html;
    flashing.forEach((until, id) => {
      if (until < at) { flashing.delete(id); return; }
      board.querySelector(`tr[data-ride="${id}"]`)?.classList.add('signal');
    });
    if (news.length > 0) announce.textContent = announce.dataset.text.replace('{0}', news.join(', '));
    if (signal) chime();
    seen = now;
  }
  setInterval(refresh, 1000);
})();
