// Start GOV.UK Frontend's components. Loaded as a module, so browsers too old
// for ES modules skip it and keep the plain HTML behaviour every page has.
import { initAll } from "./govuk-frontend.min.js";

initAll();
