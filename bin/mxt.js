#!/usr/bin/env node
import('../dist/cli/launch.js').then((cli) => cli.launch());
