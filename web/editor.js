// The SPARQL editor of kgtool serve's query page: CodeMirror 6 with the SPARQL mode of
// @codemirror/legacy-modes, laid over the page's <textarea data-sparql-editor>. The textarea
// stays the form field: the editor writes its text back on every change, so the form works
// the same with or without this script. Bundled by scripts/build-web-assets.
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
  const view = new EditorView({
    parent: textarea.parentNode,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), bracketMatching(), EditorView.lineWrapping,
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        keymap.of([{ key: "Mod-Enter", run: () => { submit(); return true; } },
                   ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label")
                                            || "SPARQL query", "aria-multiline": "true" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  textarea.after(view.dom);
  textarea.hidden = true;
  view.dom.classList.add("sparql-editor");
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) label.addEventListener("click", () => view.focus());
}

document.querySelectorAll("textarea[data-sparql-editor]").forEach(enhance);
