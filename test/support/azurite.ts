// Tests start Azurite exactly as `npm start` does.
export * from '../../dev/azurite';
