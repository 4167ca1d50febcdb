// ESLint (flat config) for the atlas's own JavaScript: `make js-lint` (part of `make lint`).
'use strict';
const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
    {ignores: ['node_modules/', 'static/vendor/', '.venv/', 'bench/out/', 'build/']},
    js.configs.recommended,
    {
        files: ['static/atlas/**/*.js'],
        languageOptions: {
            ecmaVersion: 2020,
            sourceType: 'script',
            globals: {...globals.browser, module: 'readonly'}
        },
        rules: {
            'no-var': 'error',
            'prefer-const': 'error',
            eqeqeq: 'error',
            strict: ['error', 'function'],
            'no-implicit-globals': 'error'
        }
    },
    {
        // Streamlit components (st.components.v2): ES modules whose default export Streamlit runs.
        files: ['static/atlas/**/*.mjs'],
        languageOptions: {ecmaVersion: 2022, sourceType: 'module', globals: globals.browser},
        rules: {'no-var': 'error', 'prefer-const': 'error', eqeqeq: 'error'}
    },
    {
        files: ['tests/js/**/*.js', 'eslint.config.js'],
        languageOptions: {ecmaVersion: 2022, sourceType: 'commonjs', globals: globals.node},
        rules: {'no-var': 'error', 'prefer-const': 'error', eqeqeq: 'error'}
    }
];
