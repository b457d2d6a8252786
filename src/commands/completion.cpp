// src/commands/completion.cpp -- `kubectl dra completion bash|zsh|fish`: scripts that complete
// `kubectl-dra ...` by asking the binary (`kubectl-dra __complete`, complete.cpp). `kubectl dra
// ...` is completed by kubectl itself (1.26 and later), which runs kubectl_complete-dra.
// completions/ holds a copy of each (a test keeps them equal).
#include <CLI/CLI.hpp>

#include "commands/registry.hpp"

namespace dra::commands {
namespace {

// Plain bash: no bash-completion package needed. Words are taken from the line up to the
// cursor, split on blanks only (bash would also split on = and :).
constexpr const char* kBash = R"bash(# bash completion for kubectl-dra (kubectl dra completion bash)
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
)bash";

constexpr const char* kZsh = R"zsh(#compdef kubectl-dra
# zsh completion for kubectl-dra (kubectl dra completion zsh)
# Load it with: source <(kubectl-dra completion zsh), or put it in $fpath as _kubectl-dra
_kubectl-dra() {
  local -a lines completions
  local out directive line
  out=$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  lines=("${(@f)out}")
  directive=${lines[-1]#:}
  lines=("${(@)lines[1,-2]}")
  for line in "${lines[@]}"; do
    [[ -z $line ]] && continue
    completions+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
  done
  if (( ${#completions} )); then
    _describe -V kubectl-dra completions
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _kubectl-dra "$@"
else
  compdef _kubectl-dra kubectl-dra
fi
)zsh";

constexpr const char* kFish = R"fish(# fish completion for kubectl-dra (kubectl dra completion fish)
# Load it with: kubectl-dra completion fish | source
function __kubectl_dra_complete
    set -l args (commandline -opc)
    set -l out (command $args[1] __complete $args[2..-1] (commandline -ct) 2>/dev/null)
    set -l directive (string replace ':' '' -- $out[-1])
    set -e out[-1]
    for line in $out
        printf '%s\n' $line
    end
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c kubectl-dra -f -a '(__kubectl_dra_complete)'
)fish";

}  // namespace

std::string completion_script(std::string_view shell) {
  if (shell == "bash") return kBash;
  if (shell == "zsh") return kZsh;
  if (shell == "fish") return kFish;
  return {};
}

Command add_completion(CLI::App& root) {
  auto shell = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("completion", "Print a shell completion script");
  app->footer(R"txt(Completes commands, flags, and names (claims, Pods, classes, nodes, devices,
templates, contexts) from the dump given with -f or from the live cluster.

`kubectl dra <TAB>` (kubectl 1.26 and later): put kubectl_complete-dra (in completions/ and
in the release archive; krew installs it) on your PATH; kubectl runs it.

Examples:
  # `kubectl-dra <TAB>` in bash (no bash-completion package needed); add it to ~/.bashrc
  source <(kubectl-dra completion bash)

  # `kubectl dra <TAB>`: install the helper kubectl runs next to the binary
  install -m 0755 completions/kubectl_complete-dra "$(dirname "$(command -v kubectl-dra)")"

  # zsh and fish
  source <(kubectl-dra completion zsh)
  kubectl-dra completion fish | source)txt");
  app->add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->type_name("SHELL")
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  return {app, [shell](Io& io) {
            io.out << completion_script(*shell);
            return kExitOk;
          }};
}

}  // namespace dra::commands
