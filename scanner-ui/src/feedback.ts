/**
 * A distinct signal for success and refusal on a noisy floor: a short high beep for ok, a low
 * double buzz for a refusal, and a vibration pattern where the device has one. Browsers only play
 * sound after a user gesture; the first scan or tap unlocks it.
 */
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    return context;
  } catch {
    return null;
  }
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number, type: OscillatorType) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + duration);
  osc.connect(gain).connect(ctx.destination);
  osc.start(ctx.currentTime + start);
  osc.stop(ctx.currentTime + start + duration + 0.02);
}

export function signal(outcome: 'ok' | 'refused' | 'pending'): void {
  document.body.dataset.lastSignal = outcome;
  const ctx = audio();
  if (ctx) {
    if (outcome === 'ok') tone(ctx, 1760, 0, 0.12, 'sine');
    else if (outcome === 'refused') {
      tone(ctx, 220, 0, 0.25, 'square');
      tone(ctx, 220, 0.35, 0.25, 'square');
    } else tone(ctx, 660, 0, 0.2, 'triangle');
  }
  navigator.vibrate?.(outcome === 'ok' ? 60 : outcome === 'refused' ? [200, 100, 200] : 100);
}
