// The centre's board updates by itself: its fragment is fetched every second and swapped in. A ride that
// has just been booked, or whose passenger is now on board, is flashed and, when sound is on, chimes:
// the centre is warned before the passenger arrives.
(() => {
  const board = document.getElementById('board');
  const live = document.getElementById('live');
  const sound = document.getElementById('sound');
  const signalled = ['booked', 'passenger_on_board'];
  let soundOn = localStorage.getItem('alice.sound') === 'on';
  let audio = null;
  let seen = statuses();

  function statuses() {
    const map = new Map();
    board.querySelectorAll('tr[data-ride]').forEach(row => map.set(row.dataset.ride, row.dataset.status));
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
  }

  sound.addEventListener('click', () => {
    soundOn = !soundOn;
    localStorage.setItem('alice.sound', soundOn ? 'on' : 'off');
    showSound();
    chime();
  });
  showSound();

  async function refresh() {
    try {
      const answer = await fetch('/centre/board', { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (answer.status === 401 || answer.redirected) { location.href = '/account/login?returnUrl=/centre'; return; }
      if (!answer.ok) throw new Error(String(answer.status));
      board.innerHTML = await answer.text();
      live.classList.remove('stale');
      const now = statuses();
      let signal = false;
      now.forEach((status, ride) => {
        if (signalled.includes(status) && seen.get(ride) !== status) {
          board.querySelector(`tr[data-ride="${ride}"]`)?.classList.add('signal');
          signal = true;
        }
      });
      if (signal) chime();
      seen = now;
    } catch {
      live.classList.add('stale'); // shown: the board may be out of date
    }
  }
  setInterval(refresh, 1000);
})();
