// The SPARQL editor of kgtool serve's query page: CodeMirror 6 with the SPARQL mode of
// @codemirror/legacy-modes, laid over the page's <textarea data-sparql-editor>. The textarea
// stays the form field: the editor writes its text back on every change, so the form works
// the same with or without this script. Bundled by scripts/build-web-assets.
//
// The editor lives in a shadow root: there CodeMirror styles itself with a constructed style
// sheet, which the page's Content-Security-Policy (style-src 'self', no inline styles) allows,
// where in the document it would add a <style> element that the policy blocks.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import {
  bracketMatching, defaultHighlightStyle, StreamLanguage, syntaxHighlighting,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";

function enhance(textarea) {
  const form = textarea.form;
  const submit = () => (form.requestSubmit ? form.requestSubmit() : form.submit());
  const host = document.createElement("div");
  host.className = "sparql-editor";
  const root = host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), bracketMatching(), EditorView.lineWrapping,
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        keymap.of([{ key: "Mod-Enter", run: () => { submit(); return true; } },
                   ...defaultKeymap, ...historyKeymap]),
        EditorView.theme({
          "&": { border: "1px solid #4a5360", borderRadius: "0.2rem", minHeight: "14rem",
                 fontSize: "0.95rem", background: "#fff" },
          "&.cm-focused": { outline: "3px solid #c25e00", outlineOffset: "2px" },
          ".cm-content, .cm-gutter": { minHeight: "14rem" },
          ".cm-scroller": { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' },
        }),
        EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label")
                                            || "SPARQL query", "aria-multiline": "true" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.after(host);
  textarea.hidden = true;
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) label.addEventListener("click", () => view.focus());
}

document.querySelectorAll("textarea[data-sparql-editor]").forEach(enhance);
