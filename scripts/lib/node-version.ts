// `npm ci` installs Node 24 into node_modules/.bin (the `node` package); `npm run`/`npx` put it first on
// PATH. With --ignore-scripts that binary is missing and scripts would silently run on an older Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
	console.error(
		`This project needs Node >= 22.12 (found ${process.version}). Run it through npm (npm start, npm test), ` +
			`which uses the Node 24 that "npm ci" installs into node_modules/.bin — or install Node 24 yourself.`
	);
	process.exit(1);
}
