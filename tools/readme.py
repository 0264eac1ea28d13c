"""Write README.md from nbs/index.ipynb without Quarto (nbdev-readme needs Quarto, which the CI machine lacks).

`.venv/bin/python tools/readme.py` writes it; `.venv/bin/python tools/readme.py --check` exits 1 when README.md is stale."""
import json, re, sys
from pathlib import Path
from fastcore.script import call_parse

root = Path(__file__).resolve().parent.parent
DOCS = re.search(r'^Documentation\s*=\s*"([^"]+)"', (root/'pyproject.toml').read_text(), re.M).group(1).rstrip('/')

def _page(m) -> str:
    "A notebook link as its page on the docs site (nbdev drops the numeric prefix: 11_exp_collapse -> exp_collapse)."
    return f"]({DOCS}/{re.sub(r'^[0-9]+[a-z]?_', '', m.group(1))}.html{m.group(2) or ''})"

def _md(text:str) -> str:
    """Markdown with links between notebooks pointed at their pages on the docs site, so that they work wherever the
    README is read: on GitHub, on the package index, in a wheel."""
    return re.sub(r'\]\((\w+)\.ipynb(#[\w-]+)?\)', _page, text.strip()) + '\n'

def render(nb_path=root/'nbs'/'index.ipynb') -> str:
    "Markdown of a notebook: markdown cells as they are, code and its text output as fenced blocks; `#| hide` cells dropped."
    out = ['<!-- WARNING: generated from nbs/index.ipynb by tools/readme.py; edit the notebook, not this file -->\n']
    for c in json.loads(Path(nb_path).read_text())['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': out.append(_md(src)); continue
        lines = src.splitlines()
        if '#| hide' in src: continue
        echo = not any(re.match(r'#\|\s*echo:\s*false', l) for l in lines)  # results cells show their output, not their code
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        if code and echo: out.append(f'```python\n{code}\n```\n')
        for o in c.get('outputs', []):
            d = o.get('data', {})
            if d.get('text/markdown'): out.append(_md(''.join(d['text/markdown']))); continue
            txt = o.get('text') or d.get('text/plain')
            if txt: out.append('    ' + ''.join(txt).rstrip().replace('\n', '\n    ') + '\n')
    return '\n'.join(out)

@call_parse
def main(check:bool=False, # only say whether README.md is in sync (exit 1 when stale)
        ):
    "Write README.md from nbs/index.ipynb, or check that it is in sync."
    txt, dest = render(), root/'README.md'
    if check:
        ok = dest.exists() and dest.read_text() == txt
        print('README.md: ' + ('in sync with nbs/index.ipynb' if ok else 'STALE: run `.venv/bin/python tools/readme.py` and commit'))
        sys.exit(0 if ok else 1)
    dest.write_text(txt)
