# bash completion for kubectl-dra (kubectl dra completion bash)
# Load it with: source <(kubectl-dra completion bash)
_kubectl_dra() {
  local line=${COMP_LINE:0:COMP_POINT} out directive cur reply word
  local -a words
  read -r -a words <<< "$line"
  [[ $line =~ [[:space:]]$ ]] && words+=("")
  cur=${words[${#words[@]}-1]}
  out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null) || return 0
  directive=${out##*:}
  out=${out%:*}
  COMPREPLY=()
  while IFS= read -r reply; do
    [[ -z $reply ]] && continue
    word=${reply%%$'\t'*}
    # bash replaces only the part of the word after its last = or : (COMP_WORDBREAKS)
    if [[ $cur == *[=:]* && $COMP_WORDBREAKS == *[=:]* ]]; then
      word=${word#"${cur%[=:]*}"}
      word=${word#[=:]}
    fi
    COMPREPLY+=("$word")
  done <<< "$out"
  if (( directive & 2 )); then compopt -o nospace 2>/dev/null; fi
  if (( ${#COMPREPLY[@]} == 0 && (directive & 4) == 0 )); then
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
    compopt -o filenames 2>/dev/null
  fi
  return 0
}
complete -F _kubectl_dra kubectl-dra
