;;; emacs_first_char.el --- Time to the first answer character in Emacs -*- lexical-binding: t; -*-

;;; Commentary:

;; Measures, over PRECIS_BENCH_RUNS runs (default 20), the time from
;; calling `precis-summarize-url' to the first character of the answer
;; appearing in the *precis* buffer, and prints one line:
;;
;;   emacs: first char p50 12.3 ms p90 15.0 ms (n=20)
;;
;; The server is started and warmed up by one untimed request first, so
;; the figure is the editor's path plus the server's answer, not the
;; process start.  Environment: PRECIS_BIN (the binary), PRECIS_BENCH_URL
;; (the page), and whatever configures precis (OPENAI_BASE_URL and
;; PRECIS_MODEL=ok for the fake model).  bench/editors/emacs-first-char.sh
;; starts the local servers and runs this:
;;
;;   emacs --batch -Q -L editors/emacs -l bench/editors/emacs_first_char.el

;;; Code:

(require 'precis)

(defun precis-bench--first-char (url timeout)
  "Summarize URL; return seconds until its first answer character, or nil.
Give up after TIMEOUT seconds.  Wait for the answer to end before returning."
  (let* ((done nil)
         (precis-finished-functions (list (lambda (_status) (setq done t))))
         (start (float-time))
         (id (precis-summarize-url url))
         (request (gethash id precis--requests))
         (deadline (+ start timeout))
         first)
    (while (and (not first) (< (float-time) deadline))
      (if (> (precis--request-end request) (precis--request-body request))
          (setq first (- (float-time) start))
        (accept-process-output precis--process 0.0005)))
    (while (and (not done) (< (float-time) deadline))
      (accept-process-output precis--process 0.01))
    first))

(defun precis-bench--percentile (sorted p)
  "Return the P-th percentile (0-100) of the SORTED list of numbers."
  (nth (min (1- (length sorted))
            (max 0 (1- (ceiling (* (/ p 100.0) (length sorted))))))
       sorted))

(let* ((precis-program (or (getenv "PRECIS_BIN") precis-program))
       (url (or (getenv "PRECIS_BENCH_URL") (error "Set PRECIS_BENCH_URL")))
       (runs (string-to-number (or (getenv "PRECIS_BENCH_RUNS") "20")))
       (times nil))
  (unless (precis-bench--first-char url 30)
    (error "The warm-up request got no answer: see the \" *precis-stderr*\" buffer"))
  (dotimes (_ runs)
    (let ((s (precis-bench--first-char url 30)))
      (if s (push (* 1000.0 s) times) (error "A request got no answer in 30 s"))))
  (setq times (sort times #'<))
  (princ (format "emacs: first char p50 %.1f ms p90 %.1f ms (n=%d)\n"
                 (precis-bench--percentile times 50)
                 (precis-bench--percentile times 90)
                 (length times))))

;;; emacs_first_char.el ends here
