module.exports = require('../../.eslintrc.shared.js')(__dirname);
