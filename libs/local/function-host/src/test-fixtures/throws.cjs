// Throws the error the event asks for; otherwise answers 'ok'.
exports.handler = async (event) => {
  if (event?.fail) throw new RangeError(`quantity ${event.fail} is out of range`);
  return 'ok';
};
