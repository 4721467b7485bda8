// Keeps what it allocates: `megabytes` arrays of 131,072 doubles (1 MB each) held at once, then
// reports how many it held.
exports.handler = async (event) => {
  const held = [];
  for (let i = 0; i < event.megabytes; i++) held.push(Array.from({ length: 131_072 }, (_, j) => j + 0.5));
  return { heldMb: held.length };
};
