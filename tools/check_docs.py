"""The docs contract: every parameter of every public function, class and method of llminit_nb is documented.

fastcore's `docments` reads a parameter's comment from its own line; a comment after `) -> T:` belongs to the return,
so a last parameter documented there shows up empty on the site and in `--help`. Prints each offender and exits 1 if
there is one. `**kwargs` are left out: docments cannot read their comment, and the source documents each one.

Run: .venv/bin/python tools/check_docs.py"""
import importlib, inspect, sys
from fastcore.docments import docments

import pkgutil, llminit_nb
MODULES = sorted(m.name for m in pkgutil.iter_modules(llminit_nb.__path__) if not m.name.startswith('_'))  # every module, new ones too

def undocumented() -> dict:
    "Public callable -> its parameters without a docment."
    out = {}
    for m in MODULES:
        mod = importlib.import_module(f'llminit_nb.{m}')
        for name in mod.__all__:
            o = getattr(mod, name)
            if inspect.isclass(o): targets = [(name, o)] + [(f'{name}.{k}', v) for k,v in vars(o).items() if inspect.isfunction(v) and not k.startswith('_')]
            elif callable(o): targets = [(name, o)]
            else: continue
            for n,f in targets:
                try: sig, dm = inspect.signature(f), docments(f, full=True)
                except (TypeError, ValueError): continue  # builtins and the like have no signature
                except OSError: out[f'llminit_nb.{m}.{n}'] = ['(source not found)']; continue
                miss = [k for k,p in sig.parameters.items() if k not in ('self', 'cls') and p.kind is not p.VAR_KEYWORD
                        and not (dm.get(k) or {}).get('docment')]
                if miss: out[f'llminit_nb.{m}.{n}'] = miss
    return out

if __name__ == '__main__':
    bad = undocumented()
    for k,v in bad.items(): print(f'undocumented parameter(s) of {k}: {v}')
    print(f'docs contract: {sum(map(len, bad.values()))} undocumented public parameter(s)')
    sys.exit(1 if bad else 0)
