// A bundle whose module throws while loading, as one with a missing setting does.
throw new Error('TABLE_NAME is not set');
