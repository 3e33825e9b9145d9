import { createContractsApp } from '../lib/app';

createContractsApp().app.synth();
