import type Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { lazyHandlebarsEngine } from './handlebars-engine';

/**
 * Renders the HTML part of a mail from its `.html.hbs` file, with Handlebars' HTML escaping
 * (a display name like `<b>` arrives as text). Each file is compiled once. A relative path is
 * looked up in the template directories in order (the host's first).
 */
export class HtmlTemplates {
  private readonly engine = lazyHandlebarsEngine();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dirs: string[]) {}

  render(template: string, context: Record<string, unknown>): string {
    const path = this.resolve(template);
    let compiled = this.compiled.get(path);
    if (!compiled) {
      compiled = this.engine().compile(readFileSync(path, 'utf8'), { strict: false });
      this.compiled.set(path, compiled);
    }
    return compiled(context);
  }

  private resolve(template: string): string {
    const file = template.endsWith('.hbs') ? template : `${template}.hbs`;
    if (isAbsolute(file)) {
      return file;
    }
    const found = this.dirs.map((dir) => join(dir, file)).find((path) => existsSync(path));
    if (!found) {
      throw new Error(`missing HTML template ${file}`);
    }
    return found;
  }
}
