" Time from :Precis URL to the first answer character in the [precis] buffer.
" Run by bench/editors/vim_first_char.py in Vim (-es) and Neovim (--headless).
" Environment: PRECIS_BENCH_BIN, PRECIS_BENCH_MODEL (an OpenAI-compatible /v1
" URL), PRECIS_BENCH_URL (a page), PRECIS_BENCH_RUNS, PRECIS_BENCH_OUT (the file
" that gets one line: "<editor>: first char p50 X ms p90 Y ms (n=N)").
set encoding=utf-8
let &runtimepath = fnamemodify(expand('<sfile>:p'), ':h:h:h') . '/editors/vim,' . &runtimepath
runtime plugin/precis.vim

let g:precis_program = $PRECIS_BENCH_BIN
let g:precis_args = ['--base-url', $PRECIS_BENCH_MODEL, '-m', 'ok']
let g:done = 0
autocmd User PrecisDone let g:done += 1

" One :Precis; returns the milliseconds until its section's text is not empty.
function! s:once() abort
  let before = g:done
  let t0 = reltime()
  execute 'Precis ' . $PRECIS_BENCH_URL
  let b = precis#bufnr()
  let n = getbufinfo(b)[0].linecount
  let ms = -1.0
  while reltimefloat(reltime(t0)) < 10
    if getbufline(b, '$')[0] !=# '' || getbufinfo(b)[0].linecount != n
      let ms = reltimefloat(reltime(t0)) * 1000.0
      break
    endif
    sleep 1m
  endwhile
  while g:done == before && reltimefloat(reltime(t0)) < 10
    sleep 1m
  endwhile
  return ms
endfunction

function! s:pct(sorted, p) abort
  let i = float2nr(ceil(a:p / 100.0 * len(a:sorted))) - 1
  return a:sorted[i < 0 ? 0 : i]
endfunction

let s:runs = str2nr($PRECIS_BENCH_RUNS) > 0 ? str2nr($PRECIS_BENCH_RUNS) : 20
call s:once()   " warm-up: starts precis serve and fills the page cache
let s:times = []
for s:i in range(s:runs)
  let s:ms = s:once()
  if s:ms >= 0
    call add(s:times, s:ms)
  endif
endfor
call sort(s:times, {a, b -> a == b ? 0 : a > b ? 1 : -1})
let s:name = has('nvim') ? 'nvim' : 'vim'
if empty(s:times)
  let s:line = s:name . ': no answer arrived'
else
  let s:line = printf('%s: first char p50 %.1f ms p90 %.1f ms (n=%d)', s:name,
        \ s:pct(s:times, 50), s:pct(s:times, 90), len(s:times))
endif
call writefile([s:line], $PRECIS_BENCH_OUT)
qall!
