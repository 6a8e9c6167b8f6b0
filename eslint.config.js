import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const runtimeForbidden = ['@oclif/core', '@oclif/*', '@inquirer/*', 'listr2', 'chalk', '**/commands/**', '**/ui/**']

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', performance: 'readonly', AbortController: 'readonly', fetch: 'readonly'}},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The two preload probes (bench, start-up test) are CommonJS by necessity (`node -r`).
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', module: 'writable'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // Layering (ARCHITECTURE.md): the runtime never prints, prompts or colours, and only
    // runtime/process.ts and service/ run child processes; ws lives under gateway/, grammY under channels/telegram/.
    files: ['src/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [
        {group: runtimeForbidden, message: 'src/runtime must not import oclif, inquirer, listr2, chalk, commands or ui.'},
        {group: ['execa'], message: 'Only src/runtime/process.ts and src/runtime/service/ may run child processes.'},
        {group: ['ws'], message: 'ws is imported only under src/runtime/gateway/.'},
        {group: ['grammy', 'grammy/*'], message: 'grammY is imported only under src/runtime/channels/telegram/.'},
      ]}],
    },
  },
  {
    files: ['src/runtime/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [
        {group: runtimeForbidden, message: 'src/runtime must not import oclif, inquirer, listr2, chalk, commands or ui.'},
        {group: ['execa'], message: 'Only src/runtime/process.ts and src/runtime/service/ may run child processes.'},
        {group: ['grammy', 'grammy/*'], message: 'grammY is imported only under src/runtime/channels/telegram/.'},
      ]}],
    },
  },
  {
    // The Telegram adapter is the one place grammY may be imported (telegram.md §1).
    files: ['src/runtime/channels/telegram/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [
        {group: runtimeForbidden, message: 'src/runtime must not import oclif, inquirer, listr2, chalk, commands or ui.'},
        {group: ['execa'], message: 'Only src/runtime/process.ts and src/runtime/service/ may run child processes.'},
        {group: ['ws'], message: 'ws is imported only under src/runtime/gateway/.'},
      ]}],
    },
  },
  {
    files: ['src/runtime/process.ts', 'src/runtime/service/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [
        {group: runtimeForbidden, message: 'src/runtime must not import oclif, inquirer, listr2, chalk, commands or ui.'},
      ]}],
    },
  },
  {
    // Start-up speed: every command class is loaded to run any one command, so commands and the
    // ui import runtime code lazily (`await import()` inside perform). Types, errors and paths
    // are the cheap exceptions.
    files: ['src/commands/**/*.ts', 'src/ui/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', {patterns: [
        {group: ['ws', 'grammy', 'grammy/*'], message: 'Commands reach ws/grammY only through the runtime, lazily.'},
        {group: ['execa'], message: 'Only src/runtime/process.ts and src/runtime/service/ may run child processes.'},
        {
          regex: '/runtime/(?!errors/|paths\\.js$|cli-context\\.js$|logging/console-sink\\.js$|config/schema/suggest\\.js$)',
          allowTypeImports: true,
          message: 'Import runtime modules lazily inside perform(): const {fn} = await import(...).',
        },
      ]}],
    },
  },
)
