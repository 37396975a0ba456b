"""PyTorch anchor: the lecture's char-level GPT (pre-norm blocks, ReLU FFN), timed per training step, for the
side-by-side figures of `npm run bench -- --vs-torch` and scripts/gpu-check.sh. --device cuda makes the timer wait
for the GPU; --dropout 0.2 is the lecture preset's, so GPU figures compare like with like.
--threads sets torch's own threads only; Debian's torch runs its matmuls on the system OpenBLAS, whose pthreads pool
takes every core whatever torch.set_num_threads says, so --blas_threads N caps that pool (set before torch loads).
Usage: python3 harness/bench/torch-gpt.py DATA.txt --iters N [--n_embd 128 --n_head 4 --n_layer 4 --block 64 --batch 12 --threads 2]
       [--blas_threads N] [--device cpu|cuda] [--dropout 0.2] [--lr 3e-4]
Prints: params, ms/step (median of timed steps after warm-up), tokens/s, final train loss and val loss, and the BLAS's
threads as OpenBLAS reports them (blas_threads=?, when the BLAS is not OpenBLAS)."""
import argparse, ctypes, os, time, statistics, math

p = argparse.ArgumentParser()
p.add_argument('data'); p.add_argument('--iters', type=int, default=50)
p.add_argument('--n_embd', type=int, default=128); p.add_argument('--n_head', type=int, default=4)
p.add_argument('--n_layer', type=int, default=4); p.add_argument('--block', type=int, default=64)
p.add_argument('--batch', type=int, default=12); p.add_argument('--threads', type=int, default=2)
p.add_argument('--lr', type=float, default=1e-3); p.add_argument('--eval_iters', type=int, default=20)
p.add_argument('--device', default='cpu'); p.add_argument('--dropout', type=float, default=0.0)
p.add_argument('--blas_threads', type=int, default=0)
a = p.parse_args()
if a.blas_threads > 0:
    for v in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ[v] = str(a.blas_threads)
import torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(a.threads); torch.manual_seed(1337)
dev = torch.device(a.device)
if dev.type == 'cuda': torch.backends.cuda.matmul.allow_tf32 = False  # fp32 like tfjs: no TF32 shortcut in the ratio
sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
text = open(a.data, encoding='utf-8').read()
chars = sorted(set(text)); stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long, device=dev)
n = int(0.9 * len(data)); train, val = data[:n], data[n:]
def batch(d):
    ix = torch.randint(len(d) - a.block, (a.batch,), device=dev)
    return torch.stack([d[i:i + a.block] for i in ix]), torch.stack([d[i + 1:i + a.block + 1] for i in ix])
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1 = nn.LayerNorm(a.n_embd); s.ln2 = nn.LayerNorm(a.n_embd)
        s.qkv = nn.Linear(a.n_embd, 3 * a.n_embd, bias=False); s.proj = nn.Linear(a.n_embd, a.n_embd)
        s.ff = nn.Sequential(nn.Linear(a.n_embd, 4 * a.n_embd), nn.ReLU(), nn.Linear(4 * a.n_embd, a.n_embd))
        s.register_buffer('tril', torch.tril(torch.ones(a.block, a.block))); s.drop = nn.Dropout(a.dropout)
    def forward(s, x):
        B, T, C = x.shape; h = a.n_head
        q, k, v = s.qkv(s.ln1(x)).split(C, dim=2)
        q, k, v = [t.view(B, T, h, C // h).transpose(1, 2) for t in (q, k, v)]
        w = (q @ k.transpose(-2, -1)) * (C // h) ** -0.5
        w = s.drop(w.masked_fill(s.tril[:T, :T] == 0, float('-inf')).softmax(-1))
        x = x + s.drop(s.proj((w @ v).transpose(1, 2).reshape(B, T, C)))
        return x + s.drop(s.ff(s.ln2(x)))
class GPT(nn.Module):
    def __init__(s, V):
        super().__init__(); s.tok = nn.Embedding(V, a.n_embd); s.pos = nn.Embedding(a.block, a.n_embd)
        s.blocks = nn.Sequential(*[Block() for _ in range(a.n_layer)]); s.ln = nn.LayerNorm(a.n_embd); s.head = nn.Linear(a.n_embd, V)
    def forward(s, idx, tgt):
        x = s.tok(idx) + s.pos(torch.arange(idx.shape[1], device=idx.device))
        logits = s.head(s.ln(s.blocks(x)))
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), tgt.view(-1))
m = GPT(len(chars)).to(dev); opt = torch.optim.AdamW(m.parameters(), lr=a.lr)
times = []
for it in range(a.iters):
    x, y = batch(train); sync(); t0 = time.perf_counter()
    loss = m(x, y); opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    sync(); times.append(time.perf_counter() - t0)
with torch.no_grad():
    m.eval(); vl = sum(m(*batch(val)).item() for _ in range(a.eval_iters)) / a.eval_iters
ms = statistics.median(times[min(5, a.iters - 1):]) * 1e3
def blas_threads():
    """openblas_get_num_threads() of the OpenBLAS loaded into this process, or '?' where there is none (or no /proc)."""
    try: maps = open('/proc/self/maps').read().splitlines()
    except OSError: return '?'
    for lib in sorted({l.split()[-1] for l in maps if 'blas' in l and l.split()[-1].startswith('/')}):
        try: return str(ctypes.CDLL(lib).openblas_get_num_threads())
        except (OSError, AttributeError): pass
    return '?'
print(f"device={a.device} params={sum(p.numel() for p in m.parameters())} ms_per_step={ms:.1f} tokens_per_s={a.batch*a.block/ms*1e3:.0f} train_loss={loss.item():.4f} val_loss={vl:.4f} blas_threads={blas_threads()}")
