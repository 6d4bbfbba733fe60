// One way of timing laurel.verify, shared by Node and the browser: batches of `batch` calls (so
// the browser's coarse performance.now() does not dominate), after `warmup` calls; the result is
// the median time of one call over `samples` batches, in milliseconds.
export function timeVerify(laurel, input, options, { warmup = 50, batch = 20, samples = 30 } = {}) {
  let valid = true;
  for (let i = 0; i < warmup; i += 1) valid = laurel.verify(input, options).valid && valid;
  const times = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const start = performance.now();
    for (let i = 0; i < batch; i += 1) valid = laurel.verify(input, options).valid && valid;
    times.push((performance.now() - start) / batch);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1], valid };
}
