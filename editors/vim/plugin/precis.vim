" precis.vim - summaries and answers from web pages, streamed into [precis].
" The work is done by `precis serve` (see :help precis).
if exists('g:loaded_precis') || &compatible || !(has('nvim') || has('job'))
  finish
endif
let g:loaded_precis = 1

command! -nargs=? Precis call precis#summarize(<q-args>)
command! -nargs=+ PrecisAsk call precis#ask(<q-args>)
command! -range=% -bar PrecisSummarize call precis#summarize_lines(<line1>, <line2>, <range>)
command! -nargs=? PrecisExtract call precis#extract(<q-args>)
command! -bar PrecisCancel call precis#cancel()

nnoremap <silent> <Plug>(precis) :<C-U>Precis<CR>
nnoremap <silent> <Plug>(precis-extract) :<C-U>PrecisExtract<CR>
nnoremap <silent> <Plug>(precis-summarize-buffer) :<C-U>PrecisSummarize<CR>
xnoremap <silent> <Plug>(precis-summarize) :PrecisSummarize<CR>
nnoremap <silent> <Plug>(precis-cancel) :<C-U>PrecisCancel<CR>
